import CadenceTestSupport
import Testing

@testable import CadenceBot

/// The router's commands against real guild players and the real resolver. Voice is the real
/// joiner on a gateway that never connected: a guild already holding an engine on the
/// caller's channel plays without joining, and any join attempt is answered as a failed join.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct CommandRouterUsageTests {
    func run(
        _ router: CommandRouter, _ name: String, _ options: [String: CommandRequest.Value] = [:],
        guild: String? = "g1", channel: String? = "voice-1"
    ) async -> CommandReply {
        await router.handle(
            CommandRequest(
                name: name, options: options, userID: "u1", guildID: guild,
                userVoiceChannelID: channel))
    }

    @Test func playInTheChannelTheBotIsInAnswersWithTheTitleAndDoesNotJoinAgain() async throws {
        let router = CommandRouter.local()
        let engine = await router.connect()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        #expect(await run(router, "play", ["query": .string(urls[0])]) == CommandReply("▶️ Now playing **song-a**"))
        #expect(await run(router, "play", ["query": .string(urls[1])]).content == "➕ Queued **song-b** at position 1")
        #expect(await router.dependencies.voice.joinCount == 0)
        engine.allow(5)
        #expect(await eventually { engine.player.currentSource == urls[0] })
        // Another channel of the guild needs a join, which this gateway cannot do.
        let moved = await run(router, "play", ["query": .string(urls[1])], channel: "voice-2")
        #expect(moved.ephemeral && moved.content.hasPrefix("Could not join voice"), "\(moved)")
        #expect(moved.content.contains("the gateway is closed"))
    }

    @Test func badInputGetsAnEphemeralReplyThatSaysWhatIsWrong() async throws {
        let router = CommandRouter.local()
        let engine = await router.connect()
        defer { engine.shutdown() }
        let url = try await LocalTracks.url("song-a")
        let outside = await run(router, "play", ["query": .string(url)], channel: nil)
        #expect(outside == CommandReply("Join a voice channel first.", ephemeral: true))
        _ = await run(router, "play", ["query": .string(url)])
        let loud = await run(router, "volume", ["percent": .integer(1001)])
        #expect(loud == CommandReply("Volume must be 0–1000 (got 1001).", ephemeral: true))
        let time = await run(router, "seek", ["position": .string("one minute")])
        #expect(time.ephemeral && time.content.contains("mm:ss"))
        let dm = await run(router, "pause", guild: nil)
        #expect(dm == CommandReply("Commands work in servers, not in direct messages.", ephemeral: true))
    }

    @Test func aLinkIntoAPrivateNetworkIsRefusedBeforeJoiningVoice() async throws {
        let router = CommandRouter.local(resolver: LocalTracks.strictResolver())
        let refused = await run(router, "play", ["query": .string(try await LocalTracks.url("song-a"))], guild: "g2")
        // Had the router tried to join first, the reply would be the closed gateway's.
        #expect(refused.ephemeral && refused.content.contains("private network"), "\(refused)")
        #expect(await !router.player(for: "g2").isConnected)
    }

    @Test func oneGuildsFailureLeavesAnotherGuildPlaying() async throws {
        let router = CommandRouter.local()
        let engine = await router.connect("g1")
        defer { engine.shutdown() }
        let url = try await LocalTracks.url("song-a")
        let fine = await run(router, "play", ["query": .string(url)], guild: "g1")
        let broken = await run(router, "play", ["query": .string(url)], guild: "broken-guild")
        #expect(!fine.ephemeral)
        #expect(broken.ephemeral && broken.content.hasPrefix("Could not join voice"))
        let now = await run(router, "nowplaying", guild: "g1")
        #expect(now.content.contains("song-a"))
        #expect(await router.player(for: "broken-guild").current == nil)
        engine.allow(5)
        #expect(await eventually { engine.player.currentSource == url })
    }

    @Test func queueLoopShuffleRemoveAndSkipWorkTogether() async throws {
        let router = CommandRouter.local()
        let engine = await router.connect()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b", "song-c"])
        for url in urls { _ = await run(router, "play", ["query": .string(url)]) }
        #expect(await run(router, "loop", ["mode": .string("queue")]).content == "🔁 Loop: queue.")
        let listing = await run(router, "queue")
        #expect(listing.content.contains("1. song-b · <@u1>"), "\(listing.content)")
        #expect(listing.content.contains("2. song-c"))
        #expect(await run(router, "remove", ["position": .integer(1)]).content == "🗑 Removed **song-b**.")
        #expect(await run(router, "skip").content == "⏭ Skipped **song-a**. Now playing **song-c**.")
        #expect(await run(router, "shuffle").content == "🔀 Shuffled 1 tracks.")
        engine.allow(20)
        #expect(await eventually { engine.player.currentSource == urls[2] })
    }

    @Test func stopThenLeaveDisconnects() async throws {
        let router = CommandRouter.local()
        let engine = await router.connect()
        defer { engine.shutdown() }
        _ = await run(router, "play", ["query": .string(try await LocalTracks.url("song-a"))])
        engine.allow(10)
        #expect(await run(router, "stop").content == "⏹ Stopped and cleared the queue.")
        engine.allow(50)
        #expect(await eventually { !engine.player.isActive })
        let player = router.player(for: "g1")
        #expect(await run(router, "leave").content == "👋 Left the voice channel.")
        #expect(await !player.isConnected)
        #expect(router.activePlayers.isEmpty)
    }

    @Test func afterShutdownBeginsCommandsAreRefused() async throws {
        let router = CommandRouter.local()
        router.stopTakingCommands()
        let reply = await run(router, "play", ["query": .string(try await LocalTracks.url("song-a"))])
        #expect(reply == CommandReply("The bot is restarting; try again in a moment.", ephemeral: true))
        #expect(router.activePlayers.isEmpty)
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

/// Precheck needs no player, no resolver call and no voice.
@Suite struct CommandRouterPrecheckTests {
    let router = CommandRouter.local()

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
