import CFFmpeg

/// libavcodec's decoder for one audio stream, fed packets and yielding raw frames.
///
/// A packet the decoder rejects as invalid data is skipped and counted; only a long run of
/// them makes the stream fail, because one corrupt packet should cost a blip, not the track.
final class AudioDecoder {
    private var context: UnsafeMutablePointer<AVCodecContext>?
    private let frame: UnsafeMutablePointer<AVFrame>
    private let source: String
    /// Consecutive packets rejected by the decoder; reset by every good frame.
    private(set) var consecutiveErrors = 0
    /// Every packet skipped as corrupt since the decoder was made.
    private(set) var skippedPackets = 0
    static let maxConsecutiveErrors = 100

    /// `timeBase` is the stream's: with it libavcodec shifts timestamps past the samples it
    /// drops for encoder delay (MP3's LAME header, AAC priming), so positions after a seek
    /// agree with positions counted from the start.
    init(parameters: UnsafePointer<AVCodecParameters>, timeBase: AVRational, source: String) throws(EngineError) {
        self.source = source
        guard let codec = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .unsupportedFormat(source: source, message: "no decoder for this codec")
        }
        context = avcodec_alloc_context3(codec)
        var status = avcodec_parameters_to_context(context, parameters)
        context?.pointee.pkt_timebase = timeBase
        if status >= 0 { status = avcodec_open2(context, codec, nil) }
        guard status >= 0, let frame = av_frame_alloc() else {
            avcodec_free_context(&context)
            throw .libav(status, source: source, opening: true)
        }
        self.frame = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = self.frame
        av_frame_free(&frame)
        avcodec_free_context(&context)
    }

    /// Decodes one packet (nil drains the decoder at end of input) and hands every frame it
    /// produced to `body`. The frame is only valid inside `body`.
    func decode(_ packet: UnsafePointer<AVPacket>?, _ body: (UnsafeMutablePointer<AVFrame>) throws(EngineError) -> Void)
        throws(EngineError)
    {
        let sent = avcodec_send_packet(context, packet)
        if sent < 0, sent != cadence_averror_eof() {
            guard sent != cadence_averror_eagain() else { return }
            try countError(sent)
            return
        }
        while true {
            let received = avcodec_receive_frame(context, frame)
            if received == cadence_averror_eagain() || received == cadence_averror_eof() { return }
            if received < 0 { try countError(received); return }
            consecutiveErrors = 0
            defer { av_frame_unref(frame) }
            try body(frame)
        }
    }

    /// Forgets buffered state after a seek.
    func flush() { avcodec_flush_buffers(context) }

    private func countError(_ code: Int32) throws(EngineError) {
        consecutiveErrors += 1
        skippedPackets += 1
        if consecutiveErrors >= Self.maxConsecutiveErrors {
            throw .decoderFailed(source: source, message: "\(consecutiveErrors) packets in a row failed: \(avErrorString(code))")
        }
    }
}
