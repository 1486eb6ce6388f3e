import CadenceTestSupport
import Foundation
import MediaServerSim
import Store
import Testing

/// `cadence play --resolve` with a database: the first run asks yt-dlp, a second process finds
/// the resolution in the database and runs yt-dlp zero times. yt-dlp and the worker's Python
/// are wrapped in scripts that log each start, so the count is of real processes.
@Suite("Play resolution cache", .enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct PlayResolutionCacheTests {
    @Test("a second process plays the same input from the database without starting yt-dlp")
    func secondRunSkipsYTDLP() async throws {
        let directory = try Tools.temporaryDirectory("cli-resolve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = directory.appendingPathComponent("tone.mp3")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libmp3lame", tone.path])
        let server = try await MediaServer.start()
        server.add("tone.mp3", data: try Data(contentsOf: tone), contentType: "audio/mpeg")
        let url = "http://127.0.0.1:\(server.port)/tone.mp3"

        let log = directory.appendingPathComponent("starts.log")
        let venvBin = Tools.venvPython.deletingLastPathComponent()
        let ytdlp = try Self.countingWrapper("yt-dlp", runs: venvBin.appendingPathComponent("yt-dlp"), log: log, in: directory)
        let python = try Self.countingWrapper("python", runs: Tools.venvPython, log: log, in: directory)
        let database = directory.appendingPathComponent("cadence.sqlite").path

        func play(_ stats: String) async throws -> [String: Any] {
            let statsPath = directory.appendingPathComponent(stats).path
            let result = try await Tools.runOffPool(
                "/usr/bin/env",
                [
                    "CADENCE_YTDLP=\(ytdlp)", "CADENCE_PYTHON=\(python)", "CADENCE_DB=",
                    Tools.cadenceExecutable.path, "play", url, "--resolve", "--allow-private-network", "--fast", "--quiet",
                    "--metrics-db", database, "--stats-json", statsPath
                ])
            #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
            return try #require(JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: statsPath))) as? [String: Any])
        }
        func starts() -> Int { ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").count }

        let first = try await play("first.json")
        let startsAfterFirst = starts()
        let second = try await play("second.json")
        await server.shutdown()

        #expect(startsAfterFirst >= 1, "the first run never started yt-dlp")
        #expect((first["resolver"] as? [String: Int])?["ytdlp_calls"] == 1)
        #expect(starts() == startsAfterFirst, "the second run started yt-dlp or its worker")
        #expect((second["resolver"] as? [String: Int])?["ytdlp_calls"] == 0)
        #expect((second["resolver"] as? [String: Int])?["cache_hits"] == 1)
        #expect(abs((second["duration_ms"] as? Int ?? 0) - 2_000) <= 60, "the cached URL played")

        let stored = try await ResolvedTrackRepository(database: AppDatabase(path: database)).cached(for: url)
        #expect(stored?.streamURL.hasPrefix(url) == true)
    }

    /// A shell script that logs one line to `log` and then runs `tool` with its arguments.
    static func countingWrapper(_ name: String, runs tool: URL, log: URL, in directory: URL) throws -> String {
        let script = directory.appendingPathComponent("counting-\(name)")
        try "#!/bin/sh\necho \(name) >> '\(log.path)'\nexec '\(tool.path)' \"$@\"\n".write(to: script, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script.path
    }
}
