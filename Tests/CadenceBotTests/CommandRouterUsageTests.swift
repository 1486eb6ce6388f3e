import CadenceTestSupport
import Testing

@testable import CadenceBot

@Suite struct CommandRouterUsageTests {
    let voice = InstantVoice(refuseGuilds: ["broken-guild"])
    let clock = ManualClock()
    var router: CommandRouter {
        CommandRouter(.init(lookup: TableLookup(), voice: voice, clock: clock, idleLimit: .seconds(300)))
    }

    func run(
        _ router: CommandRouter, _ name: String, _ options: [String: CommandRequest.Value] = [:],
        guild: String? = "g1", channel: String? = "voice-1"
    ) async -> CommandReply {
        await router.handle(
            CommandRequest(
                name: name, options: options, userID: "u1", guildID: guild,
                userVoiceChannelID: channel))
    }

    @Test func playJoinsTheCallersChannelAndAnswersWithTitleAndLength() async {
        let router = router
        let reply = await run(router, "play", ["query": .string("song-a")])
        #expect(reply == CommandReply("▶️ Now playing **Song A** (3:20)"))
        #expect(voice.joins.withLock { $0 } == [.init(guildID: "g1", channelID: "voice-1")])
        let queued = await run(router, "play", ["query": .string("song-b")])
        #expect(queued.content == "➕ Queued **Song B** (3:20) at position 1")
        #expect(voice.joins.withLock { $0 }.count == 1, "a second /play in the same channel does not join again")
    }

    @Test func badInputGetsAnEphemeralReplyThatSaysWhatIsWrong() async {
        let router = router
        let outside = await run(router, "play", ["query": .string("song-a")], channel: nil)
        #expect(outside == CommandReply("Join a voice channel first.", ephemeral: true))
        _ = await run(router, "play", ["query": .string("song-a")])
        let loud = await run(router, "volume", ["percent": .integer(1001)])
        #expect(loud == CommandReply("Volume must be 0–1000 (got 1001).", ephemeral: true))
        let time = await run(router, "seek", ["position": .string("one minute")])
        #expect(time.ephemeral && time.content.contains("mm:ss"))
        let refused = await run(router, "play", ["query": .string("bad-link")], guild: "g2")
        #expect(refused.ephemeral && refused.content.contains("private network"))
        #expect(!voice.joins.withLock { $0 }.contains { $0.guildID == "g2" }, "a refused link made the bot join voice")
        let dm = await run(router, "pause", guild: nil)
        #expect(dm == CommandReply("Commands work in servers, not in direct messages.", ephemeral: true))
    }

    @Test func oneGuildsFailureLeavesAnotherGuildPlaying() async {
        let router = router
        let fine = await run(router, "play", ["query": .string("song-a")], guild: "g1")
        let broken = await run(router, "play", ["query": .string("song-a")], guild: "broken-guild")
        #expect(!fine.ephemeral)
        #expect(broken.ephemeral && broken.content.hasPrefix("Could not join voice"))
        let now = await run(router, "nowplaying", guild: "g1")
        #expect(now.content.contains("Song A"))
        #expect(await router.player(for: "broken-guild").current == nil)
    }

    @Test func queueLoopShuffleRemoveAndSkipWorkTogether() async {
        let router = router
        for song in ["song-a", "song-b", "song-c"] { _ = await run(router, "play", ["query": .string(song)]) }
        #expect(await run(router, "loop", ["mode": .string("queue")]).content == "🔁 Loop: queue.")
        let listing = await run(router, "queue")
        #expect(listing.content.contains("1. Song B (3:20) · <@u1>"))
        #expect(listing.content.contains("2. Song C"))
        #expect(await run(router, "remove", ["position": .integer(1)]).content == "🗑 Removed **Song B**.")
        #expect(await run(router, "skip").content == "⏭ Skipped **Song A**. Now playing **Song C**.")
        #expect(await run(router, "shuffle").content == "🔀 Shuffled 1 tracks.")
    }

    @Test func stopThenLeaveDisconnects() async {
        let router = router
        _ = await run(router, "play", ["query": .string("song-a")])
        #expect(await run(router, "stop").content == "⏹ Stopped and cleared the queue.")
        #expect(voice.playback("g1")?.state.withLock { $0.stops } == 1)
        #expect(await run(router, "leave").content == "👋 Left the voice channel.")
        #expect(voice.leaves.withLock { $0 } == ["g1"])
    }

    @Test func afterShutdownBeginsCommandsAreRefused() async {
        let router = router
        router.stopTakingCommands()
        let reply = await run(router, "play", ["query": .string("song-a")])
        #expect(reply == CommandReply("The bot is restarting; try again in a moment.", ephemeral: true))
        #expect(voice.joins.withLock { $0 }.isEmpty)
    }

    @Test func everyCommandIsRegisteredWithItsOptions() {
        let names = CommandCatalog.all.map(\.name)
        #expect(
            names == [
                "play", "pause", "resume", "skip", "stop", "leave", "queue", "nowplaying", "volume",
                "filter", "crossfade", "normalize", "seek", "loop", "shuffle", "remove", "uma", "about"
            ])
        let volume = CommandCatalog.named("volume")?.options.first
        #expect(volume?.minValue == 0 && volume?.maxValue == 1000)
        #expect(CommandCatalog.named("uma")?.options.first?.autocomplete == true)
        #expect(CommandCatalog.named("play")?.contexts == [0], "music commands are guild-only")
    }

    @Test func everyCommandPassesDiscordsLimitsBeforeItIsSent() throws {
        for command in CommandCatalog.all { try command.validate() }
    }
}

@Suite struct CommandRouterPrecheckTests {
    let router = CommandRouter(.init(lookup: TableLookup(), voice: InstantVoice()))

    @Test func inputMistakesAreCaughtBeforeAnyPlayerIsTouched() {
        let outside = router.precheck(
            CommandRequest(
                name: "play", options: ["query": .string("song-a")],
                userID: "u1", guildID: "g1", userVoiceChannelID: nil))
        #expect(outside == CommandReply("Join a voice channel first.", ephemeral: true))
        let loud = router.precheck(CommandRequest(name: "volume", options: ["percent": .integer(1001)], userID: "u1", guildID: "g1"))
        #expect(loud?.ephemeral == true)
        let time = router.precheck(CommandRequest(name: "seek", options: ["position": .string("soon")], userID: "u1", guildID: "g1"))
        #expect(time?.content.contains("mm:ss") == true)
        #expect(router.activePlayers.isEmpty)
    }

    @Test func wellFormedCommandsPassThrough() {
        let play = CommandRequest(
            name: "play", options: ["query": .string("song-a")], userID: "u1", guildID: "g1",
            userVoiceChannelID: "v1")
        #expect(router.precheck(play) == nil)
        #expect(router.precheck(CommandRequest(name: "about", userID: "u1", guildID: nil)) == nil)
    }
}
