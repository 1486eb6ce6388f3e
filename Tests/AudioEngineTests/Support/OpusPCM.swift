import COpus

/// Decodes Opus packets back to 48 kHz stereo with libopus, as a Discord client would.
enum OpusPCM {
    struct DecodeError: Error { let code: Int32 }

    /// Decodes every packet; returns the left channel and the total samples per channel.
    static func decodeLeft(_ packets: [[UInt8]]) throws -> [Float] {
        var status: Int32 = 0
        guard let decoder = opus_decoder_create(48_000, 2, &status), status == OPUS_OK else {
            throw DecodeError(code: status)
        }
        defer { opus_decoder_destroy(decoder) }
        var pcm = [Float](repeating: 0, count: 5760 * 2)
        var left: [Float] = []
        for packet in packets {
            let samples = packet.withUnsafeBufferPointer { bytes in
                opus_decode_float(decoder, bytes.baseAddress, Int32(bytes.count), &pcm, 5760, 0)
            }
            guard samples > 0 else { throw DecodeError(code: samples) }
            for i in 0..<Int(samples) { left.append(pcm[2 * i]) }
        }
        return left
    }
}
