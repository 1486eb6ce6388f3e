import Foundation

/// Test signals made in Swift (sox-style): tones, noise, and helpers for interleaved stereo.
public enum Signals {
    /// A mono sine of `seconds` at `amplitude` (linear, 1 = full scale).
    public static func sine(
        _ frequency: Double, amplitude: Double = 0.5, seconds: Double,
        sampleRate: Double = 48_000, phase: Double = 0
    ) -> [Float] {
        let count = Int((seconds * sampleRate).rounded())
        let w = 2 * Double.pi * frequency / sampleRate
        return (0..<count).map { Float(amplitude * sin(w * Double($0) + phase)) }
    }

    /// Reproducible pink-ish noise (Paul Kellet's filter over a xorshift white source), about −12 dBFS RMS.
    public static func pinkNoise(seconds: Double, sampleRate: Double = 48_000, seed: UInt64 = 0x9E37_79B9) -> [Float] {
        var state = seed | 1
        var b0 = 0.0, b1 = 0.0, b2 = 0.0
        return (0..<Int(seconds * sampleRate)).map { _ in
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            let white = Double(state >> 11) / Double(1 << 53) * 2 - 1
            b0 = 0.99765 * b0 + white * 0.0990460
            b1 = 0.96300 * b1 + white * 0.2965164
            b2 = 0.57000 * b2 + white * 1.0526913
            return Float((b0 + b1 + b2 + white * 0.1848) * 0.11)
        }
    }

    /// Interleaves two mono channels (the shorter one sets the length).
    public static func stereo(_ left: [Float], _ right: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: 2 * min(left.count, right.count))
        for i in 0..<(out.count / 2) {
            out[2 * i] = left[i]
            out[2 * i + 1] = right[i]
        }
        return out
    }

    /// One channel (0 = left) of interleaved stereo.
    public static func channel(_ interleaved: [Float], _ index: Int) -> [Float] {
        stride(from: index, to: interleaved.count, by: 2).map { interleaved[$0] }
    }

    /// Largest sample-to-sample step in a channel: what a click would raise.
    public static func largestStep(_ samples: [Float]) -> Float {
        zip(samples, samples.dropFirst()).reduce(0) { max($0, abs($1.1 - $1.0)) }
    }

    /// Writes interleaved Float32 as a WAV file ffmpeg reads (`pcm_f32le`, so nothing clips).
    public static func writeWAV(_ interleaved: [Float], channels: Int = 2, sampleRate: Int = 48_000, to url: URL) throws {
        var data = Data()
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let bytes = interleaved.count * 4
        data.append(contentsOf: Array("RIFF".utf8))
        append(UInt32(36 + bytes))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16))
        append(UInt16(3))
        append(UInt16(channels))
        append(UInt32(sampleRate))
        append(UInt32(sampleRate * channels * 4))
        append(UInt16(channels * 4))
        append(UInt16(32))
        data.append(contentsOf: Array("data".utf8))
        append(UInt32(bytes))
        interleaved.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: url)
    }
}
