import CFFmpeg

/// libswresample converting any decoded frame to 48 kHz interleaved stereo float.
///
/// It rebuilds itself when the input format changes mid-stream (HE-AAC and some live streams
/// do that), and downmixes anything up to 7.1 with libswresample's default matrix. Channel
/// layouts the file leaves unspecified are treated as the default layout for that count.
final class Resampler {
    static let outputRate: Int32 = 48_000
    private var context: OpaquePointer?
    private var inputFormat: Int32 = -1
    private var inputRate: Int32 = 0
    private var inputLayout = AVChannelLayout()
    private var output: UnsafeMutablePointer<Float>
    private var outputCapacity: Int  // frames (stereo pairs)

    init() {
        outputCapacity = 8192
        output = .allocate(capacity: outputCapacity * 2)
    }

    deinit {
        swr_free(&context)
        av_channel_layout_uninit(&inputLayout)
        output.deallocate()
    }

    /// Converts `frame` and hands the stereo samples (interleaved, `count` frames) to `body`.
    func convert(_ frame: UnsafeMutablePointer<AVFrame>, _ body: (UnsafePointer<Float>, Int) -> Void) throws(EngineError) {
        try configure(for: frame)
        let needed = Int(swr_get_out_samples(context, frame.pointee.nb_samples))
        reserve(needed)
        var out: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(output).assumingMemoryBound(to: UInt8.self)
        let produced = withUnsafeMutablePointer(to: &out) { outPointer in
            frame.pointee.extended_data.withMemoryRebound(to: UnsafePointer<UInt8>?.self, capacity: 8) { input in
                swr_convert(context, outPointer, Int32(outputCapacity), input, frame.pointee.nb_samples)
            }
        }
        guard produced >= 0 else { throw .encoderFailed(message: "swr_convert: \(avErrorString(produced))") }
        if produced > 0 { body(output, Int(produced)) }
    }

    /// Drops samples buffered inside libswresample (after a seek).
    func reset() {
        swr_free(&context)
        inputFormat = -1
    }

    private func configure(for frame: UnsafeMutablePointer<AVFrame>) throws(EngineError) {
        var layout = AVChannelLayout()
        if frame.pointee.ch_layout.order == AV_CHANNEL_ORDER_UNSPEC || frame.pointee.ch_layout.nb_channels == 0 {
            _ = cadence_default_layout(&layout, max(1, frame.pointee.ch_layout.nb_channels))
        } else {
            av_channel_layout_copy(&layout, &frame.pointee.ch_layout)
        }
        if context != nil, frame.pointee.format == inputFormat, frame.pointee.sample_rate == inputRate,
           av_channel_layout_compare(&layout, &inputLayout) == 0
        {
            av_channel_layout_uninit(&layout)
            return
        }
        swr_free(&context)
        av_channel_layout_uninit(&inputLayout)
        inputLayout = layout
        inputFormat = frame.pointee.format
        inputRate = frame.pointee.sample_rate
        var stereo = cadence_stereo_layout()
        let status = swr_alloc_set_opts2(
            &context, &stereo, AV_SAMPLE_FMT_FLT, Self.outputRate,
            &inputLayout, AVSampleFormat(rawValue: inputFormat), inputRate, 0, nil)
        guard status >= 0, swr_init(context) >= 0 else {
            swr_free(&context)
            throw .encoderFailed(message: "cannot convert \(inputLayout.nb_channels) channels at \(inputRate) Hz")
        }
    }

    private func reserve(_ frames: Int) {
        guard frames > outputCapacity else { return }
        output.deallocate()
        outputCapacity = frames * 2
        output = .allocate(capacity: outputCapacity * 2)
    }
}
