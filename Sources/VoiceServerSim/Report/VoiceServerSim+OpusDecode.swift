import COpus

extension VoiceServerSim {
    /// Decodes Opus frames with the server's own decoder settings (48 kHz stereo), for frames a
    /// test recovered from E2EE payloads after the fact (a peer decrypted them). Returns the
    /// interleaved PCM and how many frames failed to decode.
    package static func decodeOpus(_ frames: [[UInt8]]) -> (pcm: [Int16], failures: Int) {
        var status: Int32 = 0
        guard let decoder = opus_decoder_create(48_000, 2, &status) else { return ([], frames.count) }
        defer { opus_decoder_destroy(decoder) }
        var scratch = [Int16](repeating: 0, count: 5760 * 2)
        var pcm: [Int16] = []
        var failures = 0
        for frame in frames {
            let samples = frame.withUnsafeBufferPointer { opus_decode(decoder, $0.baseAddress, Int32($0.count), &scratch, 5760, 0) }
            if samples > 0 { pcm += scratch[0..<Int(samples) * 2] } else { failures += 1 }
        }
        return (pcm, failures)
    }
}
