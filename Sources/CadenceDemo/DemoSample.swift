import Foundation

/// The embedded default for `make run`: a short melody synthesised into a WAV file, so the
/// demo needs no download and no Discord token.
enum DemoSample {
    /// A4 B4 C#5 E5 A5, each 1.6 s with soft attack and release, 48 kHz stereo 16-bit.
    static func write(to url: URL) throws {
        let rate = 48_000
        let notes: [Double] = [440, 493.88, 554.37, 659.25, 880]
        let noteSamples = rate * 8 / 5
        var pcm = Data(capacity: notes.count * noteSamples * 4)
        for frequency in notes {
            for i in 0..<noteSamples {
                let t = Double(i) / Double(rate)
                let envelope = min(1, t / 0.02) * min(1, Double(noteSamples - i) / Double(rate) / 0.05)
                let value = 0.4 * envelope * (sin(2 * .pi * frequency * t) + 0.25 * sin(4 * .pi * frequency * t))
                let sample = Int16(max(-1, min(1, value)) * 32_000)
                withUnsafeBytes(of: sample.littleEndian) { pcm.append(contentsOf: $0) }
                withUnsafeBytes(of: sample.littleEndian) { pcm.append(contentsOf: $0) }
            }
        }
        var header = Data("RIFF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { header.append(contentsOf: $0) } }
        append(UInt32(36 + pcm.count))
        header.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16))
        append(UInt16(1))
        append(UInt16(2))
        append(UInt32(rate))
        append(UInt32(rate * 4))
        append(UInt16(4))
        append(UInt16(16))
        header.append(contentsOf: Array("data".utf8))
        append(UInt32(pcm.count))
        try (header + pcm).write(to: url)
    }
}
