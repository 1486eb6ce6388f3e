import CadenceBot
import CadenceTestSupport
import DiscordSim
import Foundation
import Testing

/// Two guilds on one bot: a refused URL in one is answered there and the other keeps
/// playing without a gap; each guild has its own voice stream.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotGuildIsolationTimingTests {
    @Test func aFailureInOneGuildLeavesTheOtherPlaying() async throws {
        let harness = try await BotHarness.start(toneSeconds: 6, secondGuild: true)
        defer { Task { await harness.shutdown() } }
        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(await harness.voice.waitUntil(timeout: 10) { ($0.streamsInOrder.last?.audioFrames ?? 0) >= 25 })

        let refused = await harness.command(
            "play", [.init("query", .string("ftp://127.0.0.1/song.mp3"))],
            guildID: BotHarness.otherGuildID)
        #expect(refused?.hasPrefix("Cannot play that: only http and https links") == true, "reply: \(refused ?? "none")")
        let paused = await harness.command("pause", guildID: BotHarness.otherGuildID)
        #expect(paused == "Nothing is playing.")

        let before = harness.voice.report().streamsInOrder.last?.audioFrames ?? 0
        #expect(await harness.voice.waitUntil(timeout: 2) { ($0.streamsInOrder.last?.audioFrames ?? 0) >= before + 40 })
        let stream = try #require(harness.voice.report().streamsInOrder.last)
        #expect(stream.longestGapMs < 100, "the first guild's audio paused for \(stream.longestGapMs) ms")
        #expect(await harness.command("nowplaying")?.contains("requested by <@\(BotHarness.userID)>") == true)
        #expect(harness.voice.report().streamsInOrder.count == 1, "the refused /play joined voice in the other guild")
    }
}
