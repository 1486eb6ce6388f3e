import CadenceTestSupport
import DiscordSim
import Foundation
import MediaServerSim
import Testing
import VoiceServerSim

/// The built `cadence bot` binary as systemd would run it: configured by environment
/// variables, stopped by SIGTERM, refusing a bad token with exit status 2.
@Suite(
    .enabled(
        if: FileManager.default.isExecutableFile(atPath: Tools.cadenceExecutable.path),
        "needs the cadence executable next to the test bundle (swift build --build-tests)"))
struct BotProcessTimingTests {
    static func launch(environment: [String: String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = Tools.cadenceExecutable
        process.arguments = ["bot"]
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("CADENCE_") && $0.key != "DISCORD_TOKEN" }
        env.merge(environment) { $1 }
        env["CADENCE_LOG_FORMAT"] = "logfmt"
        process.environment = env
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, errors)
    }

    static func waitForExit(_ process: Process, timeout: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(timeout * 1000))
        while process.isRunning, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        return !process.isRunning
    }

    @Test func anInvalidTokenIsOneClearLineAndExitStatus2() async throws {
        let discord = DiscordSim()
        try await discord.start()
        defer { Task { await discord.shutdown() } }
        let directory = try Tools.temporaryDirectory("bot-token")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (process, errors) = try Self.launch(environment: [
            "DISCORD_TOKEN": "not-the-sim-token-\(UUID().uuidString)", "CADENCE_DISCORD_API": discord.apiBaseURL,
            "CADENCE_DISCORD_GATEWAY": discord.gatewayURL, "CADENCE_DB": directory.appendingPathComponent("b.sqlite").path
        ])
        #expect(await Self.waitForExit(process, timeout: 15))
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 2)
        let lines = text.split(separator: "\n").filter { $0.hasPrefix("cadence:") }
        #expect(lines == ["cadence: the token is invalid (gateway close 4004); check DISCORD_TOKEN"], "stderr: \(text)")
        #expect(!text.contains("not-the-sim-token"), "the token leaked into the output")
    }

    @Test func aMissingTokenAndABadPortAreListedAndExitStatus2() async throws {
        let (process, errors) = try Self.launch(environment: ["CADENCE_HEALTH_PORT": "http"])
        #expect(await Self.waitForExit(process, timeout: 10))
        let lines = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(process.terminationStatus == 2)
        #expect(lines.count == 2)
        #expect(lines.first?.hasPrefix("configuration: DISCORD_TOKEN: is not set") == true)
        #expect(lines.last?.hasPrefix("configuration: CADENCE_HEALTH_PORT:") == true)
    }

    @Test(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp"))
    func sigtermDuringPlaybackEndsWithSilenceAndSpeakingOffAndExits0Quickly() async throws {
        let voice = VoiceServerSim()
        try await voice.start()
        var configuration = DiscordSim.Configuration()
        configuration.voiceEndpoint = voice.endpoint
        let discord = DiscordSim(configuration: configuration)
        try await discord.start()
        let media = try await MediaServer.start()
        let directory = try Tools.temporaryDirectory("bot-sigterm")
        defer {
            try? FileManager.default.removeItem(at: directory)
            Task {
                await discord.shutdown()
                await voice.shutdown()
                await media.shutdown()
            }
        }
        let tone = directory.appendingPathComponent("tone.mp3")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=8", "-ac", "2",
            "-c:a", "libmp3lame", tone.path
        ])
        media.add("tone.mp3", data: try Data(contentsOf: tone), contentType: "audio/mpeg")
        let (process, errors) = try Self.launch(environment: [
            "DISCORD_TOKEN": configuration.token, "CADENCE_DISCORD_API": discord.apiBaseURL,
            "CADENCE_DISCORD_GATEWAY": discord.gatewayURL, "CADENCE_DB": directory.appendingPathComponent("b.sqlite").path,
            "CADENCE_ALLOW_PRIVATE_NETWORK": "1", "CADENCE_GUILD_ID": "900000000000000000"
        ])
        defer { if process.isRunning { process.terminate() } }
        #expect(await discord.waitUntil(timeout: 15) { $0.restCalls.contains { $0.path.hasSuffix("/commands") } })
        discord.sendInteraction(command: "play", options: [.init("query", .string("http://127.0.0.1:\(media.port)/tone.mp3"))])
        #expect(await voice.waitUntil(timeout: 15) { ($0.streamsInOrder.last?.audioFrames ?? 0) >= 50 })
        let silenceBefore = voice.report().streamsInOrder.last?.silenceFrames ?? 0

        let start = ContinuousClock.now
        process.terminate()  // SIGTERM
        #expect(await Self.waitForExit(process, timeout: 8))
        let elapsed = ContinuousClock.now - start
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0, "stderr: \(stderr)")
        #expect(elapsed < .seconds(5), "shutdown took \(elapsed)")
        let report = voice.report()
        #expect((report.streamsInOrder.last?.silenceFrames ?? 0) >= silenceBefore + 5, "no trailing silence at shutdown; stderr: \(stderr)")
        #expect(report.gateway.speaking.last?.flags == 0, "speaking was not turned off at shutdown")
        #expect(discord.report.clientCloseCodes.contains(1000), "the gateway was not closed cleanly")
    }
}
