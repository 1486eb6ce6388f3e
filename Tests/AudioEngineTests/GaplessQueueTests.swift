import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// Tracks queued on one player follow each other without a seam: one signal cut into pieces
/// in four formats at sample positions that are not frame boundaries plays back as the
/// signal itself, with nothing inserted or removed at the cuts.
@Suite("Gapless queue")
struct GaplessQueueTests {
    struct Variant: CustomTestStringConvertible, Sendable {
        let rate: Int
        /// Where the signal is cut, in samples at `rate`; the pieces go to WAV, FLAC, MP3, Opus.
        let cuts: [Int]
        var testDescription: String { "\(rate) Hz" }
    }

    static let variants = [
        Variant(rate: 48_000, cuts: [0, 144_317, 300_011, 500_123, 700_555]),
        Variant(rate: 44_100, cuts: [0, 132_599, 275_621, 459_487, 643_651])
    ]

    static let formats: [(name: String, codec: [String])] = [
        ("a.wav", ["-c:a", "pcm_s16le"]),
        ("b.flac", ["-c:a", "flac"]),
        ("c.mp3", ["-c:a", "libmp3lame", "-b:a", "320k", "-write_xing", "1"]),
        ("d.ogg", ["-c:a", "libopus", "-b:a", "256k"])
    ]

    @Test("WAV, FLAC, LAME MP3 and Ogg Opus pieces of one signal play back as that signal", arguments: variants)
    func piecesPlayBackAsOneSignal(_ variant: Variant) async throws {
        let directory = try Tools.temporaryDirectory("gapless")
        defer { try? FileManager.default.removeItem(at: directory) }
        // 997 Hz on the left, a log chirp (50 Hz → 10 kHz over 20 s) on the right.
        let reference = directory.appendingPathComponent("reference.wav")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i",
            "aevalsrc=0.5*sin(2*PI*997*t)|0.5*sin(2*PI*50*20/log(200)*(pow(200\\,t/20)-1)):s=\(variant.rate):d=15",
            "-c:a", "pcm_f32le", reference.path
        ])
        var files: [URL] = []
        var sourceLengths: [Int] = []
        var concatenated: [Float] = []
        for (index, format) in Self.formats.enumerated() {
            let url = directory.appendingPathComponent(format.name)
            let (start, end) = (variant.cuts[index], variant.cuts[index + 1])
            try await Tools.ffmpeg(
                [
                    "-i", reference.path, "-af",
                    "atrim=start_sample=\(start):end_sample=\(end),asetpts=N/SR/TB"
                ] + format.codec + [url.path])
            files.append(url)
            // The source's own length, as ffmpeg decodes it at 48 kHz.
            let decoded = try await QueuedPlayback.decode(url, in: directory)
            sourceLengths.append(decoded.count / 2)
            concatenated += decoded
        }
        let played = try await QueuedPlayback.run(files, in: directory)
        #expect(played.events == files.flatMap { [PlayerEvent.started(source: $0.path), .finished(source: $0.path, reason: .endOfTrack)] })

        // The reference as the engine sees it: at 48 kHz (ffmpeg's resampler for 44.1 kHz).
        let resampled = try await QueuedPlayback.decode(reference, in: directory)
        let expectedLength = variant.cuts.last! * 48_000 / variant.rate
        let total = played.frameCount
        print(
            "gapless \(variant.rate) Hz: output \(total) samples, sources \(sourceLengths) = \(sourceLengths.reduce(0, +)), reference \(expectedLength)"
        )
        #expect(abs(total - sourceLengths.reduce(0, +)) <= 48, "total \(total) vs sources \(sourceLengths.reduce(0, +))")
        #expect(abs(total - expectedLength) <= 48, "total \(total) vs reference \(expectedLength)")

        // The correlations run on a thread of their own, not on the cooperative pool that the
        // other suites' players need.
        let measured = try await Tools.onThread { [sourceLengths, concatenated, resampled] in
            Self.measureBoundaries(
                played, sourceLengths: sourceLengths, concatenated: concatenated,
                resampled: resampled, variant: variant)
        }
        for (index, boundary) in measured.enumerated() {
            let (joined, original, silence) = boundary
            let kind = "\(Self.formats[index].name)|\(Self.formats[index + 1].name)"
            print(
                "gapless \(variant.rate) Hz boundary \(kind): offset vs sources \(joined), vs uncut signal \(original), longest silence \(silence) samples"
            )
            // Against the uncut signal: exact between the lossless pieces, ±1 after a lossy codec,
            // at either rate (the engine resamples consecutive 44.1 kHz tracks as one signal).
            let tolerance = index == 0 ? 0 : 1
            #expect(abs(original.before) <= tolerance && abs(original.after) <= tolerance, "\(kind): \(original)")
            // The sources as ffmpeg decodes them one by one: at 44.1 kHz each is resampled on its
            // own and rounded to a whole 48 kHz sample, so they drift from the signal by up to
            // 1 sample per cut, and the playback with them.
            let drift = variant.rate == 48_000 ? tolerance : index + 1
            #expect(abs(joined.before) <= drift && abs(joined.after) <= drift, "\(kind): \(joined)")
            #expect(silence < 48, "\(kind): \(silence) samples of silence")
        }
    }

    typealias Boundary = (joined: (before: Int, after: Int), original: (before: Int, after: Int), silence: Int)

    static func measureBoundaries(
        _ played: QueuedPlayback, sourceLengths: [Int], concatenated: [Float],
        resampled: [Float], variant: Variant
    ) -> [Boundary] {
        let right = played.right, left = played.left
        return (0..<(formats.count - 1)).map { index in
            // Where the boundary is in a gapless concatenation of the sources as decoded, and
            // where the cut was in the uncut signal.
            let boundary = sourceLengths.prefix(index + 1).reduce(0, +)
            let joined = BoundaryAnalysis.offset(of: played.stereo, against: concatenated, at: boundary)
            let original = BoundaryAnalysis.offset(
                of: played.stereo, against: resampled,
                at: variant.cuts[index + 1] * 48_000 / variant.rate)
            let silence = BoundaryAnalysis.longestSilence(left: left, right: right, around: boundary)
            return (joined, original, silence)
        }
    }
}
