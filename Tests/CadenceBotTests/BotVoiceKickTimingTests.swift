import CadenceBot
import CadenceTestSupport
import DiscordSim
import Foundation
import Testing

/// Someone disconnects the bot from voice (Discord sends its own VOICE_STATE_UPDATE with no
/// channel): the guild's player is cleaned up, audio stops, and the next /play joins afresh.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotVoiceKickTimingTests {
    @Test func aKickedBotCleansUpAndCanBeCalledBack() async throws {
        let harness = try await BotHarness.start(toneSeconds: 6)
        defer { Task { await harness.shutdown() } }
        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(await harness.voice.waitUntil(timeout: 10) { ($0.streamsInOrder.last?.audioFrames ?? 0) >= 25 })

        harness.discord.sendVoiceStateUpdate(guildID: BotHarness.guildID, userID: harness.discord.configuration.botUserID,
                                             channelID: nil)
        #expect(await harness.command("nowplaying") == "Nothing is playing.")
        let framesAfterKick = harness.voice.report().streamsInOrder.last?.audioFrames ?? 0
        try await Task.sleep(for: .milliseconds(400))
        #expect(harness.voice.report().streamsInOrder.last?.audioFrames == framesAfterKick, "audio kept flowing after the kick")

        let again = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(again?.hasPrefix("▶️ Now playing") == true, "reply: \(again ?? "none")")
        #expect(harness.discord.report.voiceStateCommands.filter { $0.channelID == BotHarness.channelID }.count == 2)
    }
}
