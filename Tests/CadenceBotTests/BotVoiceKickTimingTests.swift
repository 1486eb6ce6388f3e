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

        harness.discord.sendVoiceStateUpdate(
            guildID: BotHarness.guildID, userID: harness.discord.configuration.botUserID,
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

/// A moderator drags the bot to another channel: Discord sends the bot's new voice state and a
/// fresh voice server; the same connection follows it and the music goes on without a new join.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotVoiceMoveTimingTests {
    @Test func aMovedBotKeepsPlayingWithoutJoiningAgain() async throws {
        let harness = try await BotHarness.start(toneSeconds: 8)
        defer { Task { await harness.shutdown() } }
        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(await harness.voice.waitUntil(timeout: 10) { ($0.streamsInOrder.last?.audioFrames ?? 0) >= 25 })
        let botID = harness.discord.configuration.botUserID
        harness.discord.sendVoiceStateUpdate(
            guildID: BotHarness.guildID, userID: botID, channelID: "900000000000000021",
            sessionID: "bot-moved")
        harness.discord.sendVoiceServerUpdate(
            guildID: BotHarness.guildID, endpoint: harness.voice.endpoint,
            token: "voice-token-after-move")
        #expect(await harness.voice.waitUntil(timeout: 5) { $0.gateway.identifies >= 2 }, "the voice connection did not follow the move")
        let frames = harness.voice.report().streamsInOrder.reduce(0) { $0 + $1.audioFrames }
        #expect(
            await harness.voice.waitUntil(timeout: 3) { $0.streamsInOrder.reduce(0) { $0 + $1.audioFrames } >= frames + 40 },
            "no audio after the move")
        #expect(harness.discord.report.voiceStateCommands.filter { $0.channelID != nil }.count == 1, "the bot sent a second join")
    }
}
