import COpus

/// libopus encoding 20 ms of 48 kHz stereo float into one Opus packet.
///
/// Application AUDIO, VBR, 128 kb/s by default, as Discord clients expect music. The output
/// buffer is allocated once; each packet is only valid until the next `encode`.
final class OpusEncoder {
    /// Encoder settings; `complexity` trades CPU for quality (0–10).
    struct Settings: Sendable {
        var bitrate: Int32 = 128_000
        var complexity: Int32 = 10
    }

    private let encoder: OpaquePointer
    private let packet: UnsafeMutablePointer<UInt8>
    static let maxPacket = 1500

    init(settings: Settings = Settings()) throws(EngineError) {
        var status: Int32 = 0
        guard let encoder = opus_encoder_create(48_000, 2, OPUS_APPLICATION_AUDIO, &status), status == OPUS_OK else {
            throw .encoderFailed(message: "opus_encoder_create: \(String(cString: opus_strerror(status)))")
        }
        self.encoder = encoder
        packet = .allocate(capacity: Self.maxPacket)
        _ = cadence_opus_set_bitrate(encoder, settings.bitrate)
        _ = cadence_opus_set_vbr(encoder, 1)
        _ = cadence_opus_set_complexity(encoder, max(0, min(10, settings.complexity)))
        _ = cadence_opus_set_signal_music(encoder)
    }

    deinit {
        opus_encoder_destroy(encoder)
        packet.deallocate()
    }

    /// Encodes 960 interleaved stereo samples and hands the packet to `body`.
    func encode(_ pcm: UnsafePointer<Float>, _ body: (UnsafeRawBufferPointer) -> Void) throws(EngineError) {
        let length = opus_encode_float(encoder, pcm, 960, packet, Int32(Self.maxPacket))
        guard length > 0 else {
            throw .encoderFailed(message: "opus_encode_float: \(String(cString: opus_strerror(length)))")
        }
        body(UnsafeRawBufferPointer(start: packet, count: Int(length)))
    }

    /// Clears the encoder's history after a seek, so no audio from before it leaks in.
    func reset() { _ = cadence_opus_reset_encoder(encoder) }
}
