import CadenceTestSupport
import Foundation
import Store
import Testing

/// `cadence play` as a user runs it: the Ogg it writes plays back right in an independent
/// decoder (ffmpeg), the stats file has every figure, and a long queue doesn't grow memory.
@Suite("Play command output")
struct PlayCommandOutputTests {
    @Test("--out writes an Ogg Opus file that ffmpeg decodes to the source's length and pitch")
    func writesPlayableOgg() async throws {
        let directory = try Tools.temporaryDirectory("cli-out")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("tone.mp3")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=4", "-c:a", "libmp3lame", source.path])
        let out = directory.appendingPathComponent("out.ogg"), stats = directory.appendingPathComponent("stats.json")

        let result = try await Tools.runOffPool(
            Tools.cadenceExecutable.path, ["play", source.path, "--fast", "--out", out.path, "--stats-json", stats.path])
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")

        let raw = directory.appendingPathComponent("out.f32")
        try await Tools.ffmpeg(["-i", out.path, "-f", "f32le", "-ac", "1", "-ar", "48000", raw.path])
        let samples = try Data(contentsOf: raw).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        // Exactly the source's 4 s: the silence frames that end the burst on the wire are not
        // recorded, and the end trim cuts the last frame's padding.
        let sourceRaw = directory.appendingPathComponent("source.f32")
        try await Tools.ffmpeg(["-i", source.path, "-f", "f32le", "-ac", "1", "-ar", "48000", sourceRaw.path])
        let sourceSamples = try Data(contentsOf: sourceRaw).count / 4
        #expect(abs(samples.count - sourceSamples) <= 1, "\(samples.count) samples for a source of \(sourceSamples)")
        let pitch = try #require(ToneAnalysis.frequency(Array(samples[24_000..<168_000]), sampleRate: 48_000))
        #expect(abs(pitch - 440) <= 2)

        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: stats)) as? [String: Any])
        for key in [
            "frames_sent", "frames_nulled", "frames_deficit", "pacing_p50_ms", "pacing_p99_ms",
            "pacing_max_ms", "cpu_seconds", "duration_ms", "recoveries"
        ] {
            #expect(json[key] != nil, "missing \(key)")
        }
        // 4 s in 20 ms frames, one more for what the encoder's look-ahead holds, and the 5
        // silence frames that end the burst on the wire.
        #expect(json["frames_sent"] as? Int == (sourceSamples + 312 + 959) / 960 + 5)
        #expect(abs((json["duration_ms"] as? Int ?? 0) - 4_000) <= 40)
    }

    @Test("ten tracks back to back: RSS after the tenth is within 5 MB of RSS after the first")
    func memoryStaysFlatAcrossTracks() async throws {
        let directory = try Tools.temporaryDirectory("cli-rss")
        defer { try? FileManager.default.removeItem(at: directory) }
        var sources: [String] = []
        for (index, codec) in ["libmp3lame", "aac", "flac", "libopus", "libvorbis"].enumerated() {
            let name = ["a.mp3", "b.m4a", "c.flac", "d.webm", "e.ogg"][index]
            let url = directory.appendingPathComponent(name)
            try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=20", "-ac", "2", "-c:a", codec, url.path])
            sources.append(url.path)
        }
        let stats = directory.appendingPathComponent("stats.json")
        let result = try await Tools.runOffPool(
            Tools.cadenceExecutable.path, ["play"] + sources + sources + ["--fast", "--quiet", "--stats-json", stats.path])
        #expect(result.status == 0)
        let json = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: stats)) as? [String: Any])
        let tracks = try #require(json["tracks"] as? [[String: Any]])
        #expect(tracks.count == 10)
        let rss = tracks.compactMap { $0["rss_kb"] as? Int }
        let growth = rss[9] - rss[0]
        print("rss after each track (kB): \(rss)")
        #expect(growth < 5 * 1024, "RSS grew \(growth) kB: \(rss)")
    }

    @Test("--metrics-db records one PipelineMetricRecord row per track, with its frame figures")
    func recordsTrackMetrics() async throws {
        let directory = try Tools.temporaryDirectory("cli-metrics")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("tone.wav")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", source.path])
        let database = directory.appendingPathComponent("metrics.sqlite").path
        let result = try await Tools.runOffPool(
            Tools.cadenceExecutable.path, ["play", source.path, source.path, "--fast", "--quiet", "--metrics-db", database])
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        let rows = try PipelineMetricRepository(database: try AppDatabase(path: database)).recent(limit: 10)
        #expect(rows.count == 2)
        // The two tracks are one stream: 100 frames each, and the last one also sends the frame
        // the encoder's look-ahead needs and the 5-frame silence tail.
        #expect(rows.map(\.framesSent).sorted() == [100, 106])
        for row in rows {
            #expect(row.trackTitle == "tone.wav")
            #expect(row.framesNulled == 0 && row.recoveries == 0)
            #expect(abs(row.durationMs - 2_000) <= 20)
        }
    }

    @Test("usage errors exit 2")
    func usageErrorsExitTwo() async throws {
        for arguments in [["play"], ["play", "x.mp3", "--volume", "1001"], ["play", "x.mp3", "--no-such-flag"]] {
            let result = try await Tools.runOffPool(Tools.cadenceExecutable.path, arguments)
            #expect(result.status == 2, "\(arguments)")
        }
    }
}
