import CadenceTestSupport
import Foundation
import Testing

/// `cadence play F --out O.ogg --fast` records exactly the source: a decoder returns as many
/// samples as the source has, whatever the format, and for Opus passed through untouched.
@Suite("Play command length")
struct PlayCommandLengthTests {
    static let cases: [(file: String, codec: [String])] = [
        ("tone.wav", ["-ar", "48000", "-c:a", "pcm_s16le"]),
        ("tone.flac", ["-ar", "44100", "-c:a", "flac"]),
        ("tone.mp3", ["-ar", "44100", "-c:a", "libmp3lame", "-b:a", "192k"]),
        ("tone.m4a", ["-ar", "48000", "-c:a", "aac"]),
        ("tone.ogg", ["-ar", "48000", "-c:a", "libvorbis"]),
        ("tone.webm", ["-ar", "48000", "-c:a", "libopus"]),  // passed through
        ("tone.opus", ["-ar", "48000", "-c:a", "libopus"])  // passed through
    ]

    @Test("the Ogg file decodes to the source's length, ±1 sample", arguments: cases.map(\.file))
    func recordsTheExactLength(_ file: String) async throws {
        let codec = try #require(Self.cases.first { $0.file == file }).codec
        let directory = try Tools.temporaryDirectory("cli-length")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent(file)
        // 3.0171 s: not a whole number of frames at either rate.
        try await Tools.ffmpeg(
            ["-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=3.0171", "-ac", "2"]
                + codec + [source.path])
        let out = directory.appendingPathComponent("out.ogg")
        let result = try await Tools.runOffPool(
            Tools.cadenceExecutable.path,
            ["play", source.path, "--fast", "--quiet", "--out", out.path])
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        let expected = try await Self.samples(source, in: directory)
        let recorded = try await Self.samples(out, in: directory)
        print("length \(file): source \(expected) samples, recorded \(recorded)")
        #expect(abs(recorded - expected) <= 1, "\(file): recorded \(recorded) samples for a source of \(expected)")
    }

    /// Samples per channel ffmpeg decodes from `file` at 48 kHz.
    static func samples(_ file: URL, in directory: URL) async throws -> Int {
        let raw = directory.appendingPathComponent(file.lastPathComponent + ".f32")
        try await Tools.ffmpeg(["-i", file.path, "-f", "f32le", "-ac", "1", "-ar", "48000", raw.path])
        return try Data(contentsOf: raw).count / 4
    }
}
