import CadenceTestSupport
import DAVEPeers
import DiscordSim
import Foundation
import Testing
import VoiceServerSim

/// The bot in a DAVE call as Discord runs one since March 2026: the voice server requires DAVE,
/// and two members nobody here wrote (davey, and Discord's libdave through dave-py) already
/// hold the channel's MLS group. What they decrypt is what people in the channel would hear.
@Suite(.serialized, DAVEPeer.available)
struct BotDAVECallTimingTests {
    static let movedChannelID = "900000000000000021"

    static func daveCall(_ configuration: inout VoiceServerSim.Configuration) {
        configuration.requireDAVE = true
        configuration.channelID = UInt64(BotHarness.channelID)!
        configuration.e2eeCaptureLimit = 2_000
        configuration.leaveGrace = 0.2
    }

    @Test func bothPeersDecryptTheBotsAudioAt440HzAndTheBotNeverAnswersOp31() async throws {
        let harness = try await BotHarness.start(toneSeconds: 5, voice: Self.daveCall)
        defer { Task { await harness.shutdown() } }
        let peers = try await DAVEPeer.pair(in: UInt64(BotHarness.channelID)!, guildID: BotHarness.guildID, server: harness.voice)
        defer { Task { for peer in peers { await peer.quit() } } }

        let reply = await harness.command("play", [.init("query", .string(harness.toneURL))])
        #expect(reply?.hasPrefix("▶️ Now playing") == true, "reply: \(reply ?? "none")")
        let bot = harness.discord.configuration.botUserID
        let stream = try await Self.finishedStream(of: bot, harness: harness)
        try await DAVEPeer.expect(peers, decrypt: stream, from: bot, atLeast: 200)
        let report = harness.voice.report(includeAudio: false)
        #expect(!report.dave.invalidReceived.contains(bot), "the bot sent op 31: \(report.dave.invalidReceived)")
        #expect(Set(report.dave.roster.compactMap { $0 }) == Set(peers.map(\.userID) + [bot]))
    }

    @Test func aMoveTakesTheBotIntoTheNewChannelsGroupWhereBothPeersDecryptIt() async throws {
        let harness = try await BotHarness.start(toneSeconds: 9, voice: Self.daveCall)
        defer { Task { await harness.shutdown() } }
        let moved = UInt64(Self.movedChannelID)!
        let peers = try await DAVEPeer.pair(in: moved, guildID: BotHarness.guildID, server: harness.voice)
        defer { Task { for peer in peers { await peer.quit() } } }
        let bot = harness.discord.configuration.botUserID

        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        // Alone in its first channel the bot is a sole member, whom the server keeps on plain audio.
        #expect(
            await harness.voice.waitUntil(timeout: 15) { report in
                report.streamsInOrder.last { $0.userID == bot }.map { $0.audioFrames >= 50 } ?? false
            }, "the bot was not heard in its first channel")
        let first = try #require(harness.voice.report(includeAudio: false).streamsInOrder.last { $0.userID == bot })

        harness.discord.moveBot(guildID: BotHarness.guildID, toChannel: Self.movedChannelID)
        #expect(
            await harness.voice.waitUntil(timeout: 10) { report in
                report.streamsInOrder.contains { $0.userID == bot && $0.ssrc != first.ssrc && $0.e2eeFrames > 0 }
            }, "no E2EE audio from the bot after the move")
        #expect(!harness.voice.usersInChannel(UInt64(BotHarness.channelID)!).contains(bot), "the old call kept the bot")
        #expect(harness.voice.usersInChannel(moved).contains(bot))

        let stream = try await Self.finishedStream(of: bot, harness: harness, timeout: 20)
        #expect(stream.ssrc != first.ssrc)
        try await DAVEPeer.expect(peers, decrypt: stream, from: bot, atLeast: 100)
    }

    // MARK: Helpers

    /// The bot's last stream once its track ended (the 5 silence frames arrived).
    static func finishedStream(of bot: String, harness: BotHarness, timeout: Double = 20) async throws
        -> VoiceServerReport.Stream
    {
        let ended = await harness.voice.waitUntil(timeout: timeout) { report in
            (report.streamsInOrder.last { $0.userID == bot }?.silenceFrames ?? 0) >= 5
        }
        #expect(ended, "the track did not end")
        return try #require(harness.voice.report().streamsInOrder.last { $0.userID == bot })
    }
}
