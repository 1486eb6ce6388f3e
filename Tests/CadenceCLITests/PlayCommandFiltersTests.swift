import CadenceTestSupport
import Foundation
import Testing

/// `cadence play --filters`: Lavalink's filters object, inline or from a file, is heard in the
/// output, and a bad one is a usage error that names the field.
@Suite("Play command filters")
struct PlayCommandFiltersTests {
    static func decodeLeft(_ file: URL, in directory: URL) async throws -> [Float] {
        let raw = directory.appendingPathComponent(file.lastPathComponent + ".f32")
        try await Tools.ffmpeg(["-i", file.path, "-f", "f32le", "-ac", "1", "-ar", "48000", raw.path])
        return try Data(contentsOf: raw).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    @Test("--filters with timescale speed 1.25 and pitch 1.25: a 4 s 440 Hz tone becomes 3.2 s at 550 Hz")
    func inlineTimescale() async throws {
        let directory = try Tools.temporaryDirectory("cli-filters")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("tone.wav")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=4", "-ac", "2", source.path])
        let out = directory.appendingPathComponent("out.ogg")
        let result = try await Tools.runOffPool(
            Tools.cadenceExecutable.path,
            ["play", source.path, "--fast", "--quiet", "--out", out.path, "--filters", #"{"timescale":{"speed":1.25,"pitch":1.25}}"#])
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        let samples = try await Self.decodeLeft(out, in: directory)
        let seconds = Double(samples.count) / 48_000
        let pitch = ToneAnalysis.frequency(Array(samples[24_000..<(samples.count - 24_000)]), sampleRate: 48_000) ?? 0
        print("cadence play --filters timescale 1.25/1.25: \(seconds) s (golden 3.2), \(pitch) Hz (golden 550)")
        #expect(abs(seconds - 3.2) <= 0.020)
        #expect(abs(pitch - 550) <= 2)
    }

    @Test("--filters @FILE: an equalizer read from a file raises its band")
    func filtersFromFile() async throws {
        let directory = try Tools.temporaryDirectory("cli-filters-file")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("tone.wav")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=1000:duration=2", "-af", "volume=0.2", "-ac", "2", source.path])
        let settings = directory.appendingPathComponent("filters.json")
        try Data(#"{"equalizer":[{"band":8,"gain":0.25}]}"#.utf8).write(to: settings)
        var levels: [Double] = []
        for (name, extra) in [("dry", [String]()), ("eq", ["--filters", "@" + settings.path])] {
            let out = directory.appendingPathComponent("\(name).ogg")
            let result = try await Tools.runOffPool(
                Tools.cadenceExecutable.path,
                ["play", source.path, "--fast", "--quiet", "--out", out.path] + extra)
            #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
            let samples = try await Self.decodeLeft(out, in: directory)
            levels.append(ToneAnalysis.rms(samples[24_000..<72_000]))
        }
        let gain = ToneAnalysis.decibels(levels[1] / levels[0])
        print("cadence play --filters @file equalizer band 8 +0.25: \(gain) dB (golden +6.0)")
        #expect(abs(gain - 6.0) <= 0.5)
    }

    @Test("a filter out of range, a wrong type or bad JSON: exit 2 with the field named")
    func badFiltersAreUsageErrors() async throws {
        let cases: [(String, String)] = [
            (#"{"timescale":{"speed":-1}}"#, "timescale.speed must be greater than 0"),
            (#"{"equalizer":[{"band":15,"gain":0}]}"#, "equalizer[0].band must be between 0 and 14"),
            (#"{"volume":"loud"}"#, "volume"),
            ("{nope", "not a JSON object"),
            ("@/no/such/file.json", "cannot read /no/such/file.json")
        ]
        for (argument, expected) in cases {
            let result = try await Tools.runOffPool(Tools.cadenceExecutable.path, ["play", "x.wav", "--filters", argument])
            let stderr = String(decoding: result.stderr, as: UTF8.self)
            #expect(result.status == 2, "\(argument): \(stderr)")
            #expect(stderr.contains("--filters: " + expected), "\(argument): \(stderr)")
        }
    }
}
