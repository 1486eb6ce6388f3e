import CadenceTestSupport
import Foundation
import Store
import Testing

/// `cadence play --normalize[=LUFS] --crossfade SECONDS`: what a listener hears of the output
/// file (ffmpeg's `ebur128` on its decode), and bad values as usage errors naming the flag.
@Suite("Play command loudness")
struct PlayCommandLoudnessTests {
    /// Stereo pink noise plus a tone, brought to about `lufs` as ffmpeg measures it.
    static func programme(lufs: Double, seconds: Double, in directory: URL) async throws -> URL {
        let raw = directory.appendingPathComponent("raw.wav")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "anoisesrc=color=pink:seed=5:amplitude=0.5:sample_rate=48000:duration=\(seconds)",
            "-f", "lavfi", "-i", "anoisesrc=color=pink:seed=7:amplitude=0.5:sample_rate=48000:duration=\(seconds)",
            "-filter_complex", "[0][1]join=inputs=2:channel_layout=stereo", "-c:a", "pcm_f32le", raw.path
        ])
        let measured = try await LoudnessReference.measure(raw).integratedLUFS
        let url = directory.appendingPathComponent("track.wav")
        try await Tools.ffmpeg(["-i", raw.path, "-af", "volume=\(lufs - measured)dB", "-c:a", "pcm_f32le", url.path])
        return url
    }

    /// ffmpeg's reading of `seconds` of `file` from `start`.
    static func loudness(of file: URL, from start: Double, seconds: Double, in directory: URL, name: String) async throws
        -> LoudnessReference.Measurement
    {
        let piece = directory.appendingPathComponent("\(name).wav")
        try await Tools.ffmpeg(["-i", file.path, "-ss", "\(start)", "-t", "\(seconds)", "-c:a", "pcm_f32le", piece.path])
        return try await LoudnessReference.measure(piece)
    }

    static func cadence(_ arguments: [String]) async throws -> (status: Int32, stderr: String) {
        let result = try await Tools.runOffPool(Tools.cadenceExecutable.path, arguments)
        return (result.status, String(decoding: result.stderr, as: UTF8.self))
    }

    @Test("--normalize: a −20 LUFS file queued twice plays at −14; the second play has its gain from the first sample")
    func normalizeReusesTheFirstMeasurement() async throws {
        let directory = try Tools.temporaryDirectory("cli-normalize")
        defer { try? FileManager.default.removeItem(at: directory) }
        let track = try await Self.programme(lufs: -20, seconds: 12, in: directory)
        let out = directory.appendingPathComponent("out.ogg")
        let run = try await Self.cadence(["play", track.path, track.path, "--fast", "--quiet", "--out", out.path, "--normalize"])
        #expect(run.status == 0, "\(run.stderr)")
        let first = try await Self.loudness(of: out, from: 0, seconds: 12, in: directory, name: "first")
        let second = try await Self.loudness(of: out, from: 12, seconds: 12, in: directory, name: "second")
        let firstStart = try await Self.loudness(of: out, from: 0, seconds: 3, in: directory, name: "first-start")
        let secondStart = try await Self.loudness(of: out, from: 12, seconds: 3, in: directory, name: "second-start")
        print(
            "cadence play --normalize, a −20 LUFS file twice: first play \(first.integratedLUFS) LUFS (its first 3 s \(firstStart.integratedLUFS)), second play \(second.integratedLUFS) LUFS \(second.truePeakDBTP) dBTP (its first 3 s \(secondStart.integratedLUFS)); golden −14 ± 0.5, second's start within 1 LU of it"
        )
        #expect(abs(second.integratedLUFS + 14) <= 0.5)
        #expect(second.truePeakDBTP <= -1)
        #expect(abs(secondStart.integratedLUFS - second.integratedLUFS) <= 1, "the second play is at its gain from the start")
        #expect(firstStart.integratedLUFS < secondStart.integratedLUFS - 2, "the first play's estimate starts at 0 dB and rises at 1 dB/s")
    }

    @Test("--normalize=-18 with --metrics-db: the measurement is kept, and the next run is at −18 from its first sample")
    func normalizeKeepsMeasurementsInTheDatabase() async throws {
        let directory = try Tools.temporaryDirectory("cli-normalize-db")
        defer { try? FileManager.default.removeItem(at: directory) }
        let track = try await Self.programme(lufs: -26, seconds: 8, in: directory)
        let database = directory.appendingPathComponent("cadence.sqlite").path
        var heard: [(whole: Double, start: Double)] = []
        for name in ["one", "two"] {
            let out = directory.appendingPathComponent("\(name).ogg")
            let run = try await Self.cadence([
                "play", track.path, "--fast", "--quiet", "--out", out.path, "--normalize=-18",
                "--metrics-db", database
            ])
            #expect(run.status == 0, "\(run.stderr)")
            let whole = try await LoudnessReference.measure(out).integratedLUFS
            let start = try await Self.loudness(of: out, from: 0, seconds: 3, in: directory, name: "\(name)-start").integratedLUFS
            heard.append((whole, start))
        }
        let stored = try await TrackLoudnessRepository(database: try AppDatabase(path: database)).loudness(
            of: track.standardizedFileURL.path)
        let source = try await LoudnessReference.measure(track).integratedLUFS
        print(
            "cadence play --normalize=-18 --metrics-db: stored \(stored.map { "\($0.integratedLUFS) LUFS \($0.truePeakDBTP) dBTP" } ?? "nothing") for a \(source) LUFS file; first run \(heard[0].whole) LUFS (first 3 s \(heard[0].start)), second run \(heard[1].whole) LUFS (first 3 s \(heard[1].start)); golden −18 ± 0.5"
        )
        let record = try #require(stored)
        #expect(abs(record.integratedLUFS - source) <= 0.2)
        #expect(abs(heard[1].whole + 18) <= 0.5)
        #expect(abs(heard[1].start + 18) <= 1)
        #expect(heard[0].start < heard[1].start - 2)
    }

    @Test("--crossfade 3: two 6 s tones play for 9 s ± 20 ms")
    func crossfadeShortensByItsLength() async throws {
        let directory = try Tools.temporaryDirectory("cli-crossfade")
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for hz in [440, 660] {
            let url = directory.appendingPathComponent("\(hz).wav")
            try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=\(hz):sample_rate=48000:duration=6", "-ac", "2", url.path])
            files.append(url.path)
        }
        let out = directory.appendingPathComponent("out.ogg")
        let run = try await Self.cadence(["play"] + files + ["--fast", "--quiet", "--out", out.path, "--crossfade", "3"])
        #expect(run.status == 0, "\(run.stderr)")
        let raw = directory.appendingPathComponent("out.f32")
        try await Tools.ffmpeg(["-i", out.path, "-f", "f32le", "-ac", "1", "-ar", "48000", raw.path])
        let seconds = Double(try Data(contentsOf: raw).count / 4) / 48_000
        print("cadence play --crossfade 3, two 6 s tones: \(seconds) s (golden 9 ± 0.020)")
        #expect(abs(seconds - 9) <= 0.020)
    }

    @Test("--crossfade out of 0–12 or --normalize outside −23…−10 or not a number: exit 2 naming the flag")
    func badValuesAreUsageErrors() async throws {
        let cases: [([String], String)] = [
            (["--crossfade", "13"], "--crossfade must be 0–12 seconds"),
            (["--crossfade=-1"], "--crossfade must be 0–12 seconds"),
            (["--normalize=-30"], "--normalize: loudness target -30.0 LUFS is outside -23…-10"),
            (["--normalize=-9"], "--normalize: loudness target -9.0 LUFS is outside -23…-10"),
            (["--normalize=loud"], "--normalize takes a loudness target in LUFS")
        ]
        for (arguments, expected) in cases {
            let run = try await Self.cadence(["play", "x.wav"] + arguments)
            #expect(run.status == 2, "\(arguments): \(run.stderr)")
            #expect(run.stderr.contains(expected), "\(arguments): \(run.stderr)")
        }
    }
}
