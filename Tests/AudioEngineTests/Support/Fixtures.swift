import CadenceTestSupport
import Foundation

/// Test media made with ffmpeg at test time; nothing binary is committed.
enum Fixtures {
    /// A `seconds`-long 440 Hz tone at `rate` Hz with `channels` channels, encoded with `codec`
    /// into `directory/name`.
    static func tone(
        _ name: String, in directory: URL, seconds: Double = 3, rate: Int = 48_000,
        channels: Int = 2, codec: [String] = []
    ) async throws -> URL {
        let url = directory.appendingPathComponent(name)
        try await Tools.ffmpeg(
            [
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=\(rate):duration=\(seconds)",
                "-ac", "\(channels)", "-ar", "\(rate)"
            ] + codec + [url.path])
        return url
    }

    /// A linear chirp sweeping 200 Hz + 50 Hz/s, so any stretch of it identifies its own time.
    static func chirp(_ name: String, in directory: URL, seconds: Double, codec: [String] = []) async throws -> URL {
        let url = directory.appendingPathComponent(name)
        try await Tools.ffmpeg(
            [
                "-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*(200*t+25*t*t)):s=48000:d=\(seconds)",
                "-ac", "2"
            ] + codec + [url.path])
        return url
    }

    /// Where in the chirp frame `index` of decoded `pcm` starts (s): the 50 ms from the start
    /// of the frame after it, correlated with the exact chirp within `window` s of `near`.
    static func chirpTime(ofFrame index: Int, in pcm: [Float], near: Double, window: Double) -> Double {
        let excerpt = pcm[(index + 1) * 960..<(index + 1) * 960 + 2_400]
        let searchStart = near - window
        let span = Int(2 * window * 48_000)
        let reference = chirpSamples(from: searchStart, count: span + 2_400)
        let offset = ToneAnalysis.bestOffset(of: excerpt, in: reference, range: 0..<span)
        return searchStart + Double(offset) / 48_000 - 0.020
    }

    /// The chirp's exact samples at 48 kHz, computed, not decoded.
    static func chirpSamples(from start: Double, count: Int) -> [Float] {
        (0..<count).map { i in
            let t = start + Double(i) / 48_000
            return Float(0.5 * sin(2 * .pi * (200 * t + 25 * t * t)))
        }
    }
}
