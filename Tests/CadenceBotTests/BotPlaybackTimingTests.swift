import CadenceBot
import CadenceTestSupport
import DiscordSim
import Foundation
import Testing
import VoiceServerSim

/// The bot end to end on loopback, in real time: a simulated user's slash commands go through
/// the Discord simulator, and their effect is measured at the local voice server.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotPlaybackTimingTests {
    /// The stream the bot sends to the voice server.
    static func stream(_ harness: BotHarness) -> VoiceServerReport.Stream? { harness.voice.report().streamsInOrder.last }

    static func waitForAudio(_ harness: BotHarness, frames: Int, timeout: Double = 15) async -> Bool {
        await harness.voice.waitUntil(timeout: timeout) { ($0.streamsInOrder.last?.audioFrames ?? 0) >= frames }
    }

    @Test func playRegistersAnswersJoinsAndTheServerHears440Hz() async throws {
        let harness = try await BotHarness.start(toneSeconds: 6)
        defer { Task { await harness.shutdown() } }
        let reply = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(reply?.hasPrefix("▶️ Now playing") == true, "reply: \(reply ?? "none")")
        let report = harness.discord.report
        #expect(report.restCalls.contains { $0.method == "PUT" && $0.path.hasSuffix("/commands") && $0.status == 200 })
        #expect(
            report.restCalls.contains { $0.method == "POST" && $0.path.contains("/callback") && $0.body.contains("\"type\":5") },
            "the interaction was deferred first")
        #expect(report.voiceStateCommands.filter { $0.channelID == BotHarness.channelID }.count == 1)
        #expect(await Self.waitForAudio(harness, frames: 75))
        let samples = Array(try #require(Self.stream(harness)).leftChannel.suffix(24_000))
        let frequency = try #require(ToneAnalysis.frequency(samples, sampleRate: 48_000))
        #expect(abs(frequency - 440) <= 2, "decoded \(frequency) Hz")
    }

    @Test func pauseSilencesResumeContinuesStopEndsWithFiveSilenceFrames() async throws {
        let harness = try await BotHarness.start(toneSeconds: 8)
        defer { Task { await harness.shutdown() } }
        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(await Self.waitForAudio(harness, frames: 25))
        #expect(await harness.command("pause") == "⏸ Paused.")
        try await Task.sleep(for: .milliseconds(200))
        let pausedAt = Self.stream(harness)?.audioFrames ?? 0
        try await Task.sleep(for: .milliseconds(600))
        #expect(Self.stream(harness)?.audioFrames == pausedAt, "audio frames arrived while paused")
        #expect(await harness.command("resume") == "▶️ Resumed.")
        #expect(await Self.waitForAudio(harness, frames: pausedAt + 20, timeout: 3), "audio did not come back after /resume")
        let silenceBefore = Self.stream(harness)?.silenceFrames ?? 0
        #expect(await harness.command("stop") == "⏹ Stopped and cleared the queue.")
        #expect(await harness.voice.waitUntil(timeout: 3) { ($0.streamsInOrder.last?.silenceFrames ?? 0) >= silenceBefore + 5 })
        // Speaking goes over the voice WebSocket, the silence over UDP: either may arrive first.
        #expect(
            await harness.voice.waitUntil(timeout: 1) { $0.gateway.speaking.last?.flags == 0 },
            "speaking was not turned off after /stop")
    }

    @Test func seekMovesToTheNewPositionAndVolumeChangesTheLevel() async throws {
        let harness = try await BotHarness.start(toneSeconds: 10, twoTones: true)
        defer { Task { await harness.shutdown() } }
        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(await Self.waitForAudio(harness, frames: 40))
        let before = Array(try #require(Self.stream(harness)).leftChannel.suffix(12_000))
        #expect(await harness.command("volume", [.init("percent", .integer(50))]) == "🔊 Volume 50%.")
        // The bot buffers one second of encoded audio; the change is heard once that drains.
        try await Task.sleep(for: .milliseconds(1_400))
        let after = Array(try #require(Self.stream(harness)).leftChannel.suffix(12_000))
        let ratio = ToneAnalysis.rms(after[...]) / max(1e-9, ToneAnalysis.rms(before[...]))
        #expect(abs(ratio - 0.5) < 0.08, "level ratio \(ratio) after /volume 50")

        // The file is 440 Hz for 6 s, then 660 Hz: a seek to 0:07 must be heard as 660 Hz at once.
        #expect(await harness.command("seek", [.init("position", .string("0:07"))]) == "⏩ Moved to 0:07.")
        let framesAtSeek = Self.stream(harness)?.decodedFrames ?? 0
        #expect(await harness.voice.waitUntil(timeout: 3) { ($0.streamsInOrder.last?.decodedFrames ?? 0) >= framesAtSeek + 30 })
        let heard = Array(try #require(Self.stream(harness)).leftChannel.suffix(9_600))
        let frequency = try #require(ToneAnalysis.frequency(heard, sampleRate: 48_000))
        #expect(abs(frequency - 660) <= 3, "after /seek 0:07 the server decoded \(frequency) Hz")
    }

    @Test func aGatewayKilledMidTrackResumesWithoutRejoiningOrInterruptingAudio() async throws {
        let harness = try await BotHarness.start(toneSeconds: 8)
        defer { Task { await harness.shutdown() } }
        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(await Self.waitForAudio(harness, frames: 25))
        harness.discord.killGateway()
        #expect(await harness.discord.waitUntil(timeout: 5) { !$0.resumes.isEmpty }, "no RESUME after the gateway was killed")
        let framesAtResume = Self.stream(harness)?.audioFrames ?? 0
        #expect(await Self.waitForAudio(harness, frames: framesAtResume + 50, timeout: 3))
        let report = harness.discord.report
        #expect(report.identifies == 1, "the session was re-identified instead of resumed")
        #expect(report.voiceStateCommands.filter { $0.channelID != nil }.count == 1, "voice was joined twice")
        let stream = try #require(Self.stream(harness))
        #expect(harness.voice.report().gateway.identifies == 1, "the voice connection was re-established")
        #expect(stream.sequenceGaps == 0)
        #expect(stream.longestGapMs < 100, "audio stopped for \(stream.longestGapMs) ms")
    }
}
