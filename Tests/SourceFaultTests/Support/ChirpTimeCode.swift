import CadenceTestSupport
import Foundation

/// The time code a listener reads off a chirp whose frequency is 200 + 100 t Hz: every
/// 100 ms of received audio says which moment of the source it came from.
struct ChirpTimeCode {
    static let chunkSeconds = 0.1
    static let chunk = 4_800  // samples at 48 kHz

    /// An ffmpeg lavfi source for `seconds` of the chirp.
    static func lavfi(seconds: Int) -> String { "aevalsrc=0.5*sin(2*PI*(200*t+50*t*t)):s=48000:d=\(seconds)" }

    /// `seconds` of chirp as constant-bitrate 128 kb/s MP3 (16 000 bytes a second, so a byte
    /// offset maps to a time), made with ffmpeg.
    static func mp3(seconds: Int) async throws -> Data {
        let directory = try Tools.temporaryDirectory("chirp")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("chirp.mp3")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", lavfi(seconds: seconds), "-c:a", "libmp3lame", "-b:a", "128k", file.path])
        return try Data(contentsOf: file)
    }

    /// Source time (s) of each 100 ms chunk of the received audio, in the order received.
    let times: [Double]

    /// Reads the time code of `left` (mono, 48 kHz), skipping the first chunk (codec start-up).
    init(left: [Float]) {
        var times: [Double] = []
        for start in stride(from: Self.chunk, to: left.count - Self.chunk + 1, by: Self.chunk) {
            let frequency = ToneAnalysis.frequency(Array(left[start..<start + Self.chunk]), sampleRate: 48_000) ?? 0
            times.append((frequency - 200) / 100)
        }
        self.times = times
    }

    /// Where the time code jumps, in seconds of source: negative when audio was repeated,
    /// positive when audio was lost. Chunk i should read t0 + 0.1 i; a median over seven
    /// chunks ignores a chunk or two garbled where the stream was rejoined, and steps under
    /// 20 ms are measurement noise.
    var jumps: [Double] {
        let offsets = times.enumerated().map { $0.element - Self.chunkSeconds * Double($0.offset) }
        let smoothed = offsets.indices.map { index in
            let window = offsets[max(0, index - 3)...min(offsets.count - 1, index + 3)].sorted()
            return window[window.count / 2]
        }
        return zip(smoothed.dropFirst(), smoothed).map { $0 - $1 }.filter { abs($0) > 0.02 }
    }

    /// Where the received audio starts in the source (s), from its first half second: about
    /// 0.15 (the middle of the first chunk read) when nothing was lost at the start.
    var startOffset: Double? {
        median(times.prefix(5).enumerated().map { $0.element - Self.chunkSeconds * Double($0.offset) }[...])
    }

    private func median(_ values: ArraySlice<Double>) -> Double? {
        guard !values.isEmpty else { return nil }
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }
}
