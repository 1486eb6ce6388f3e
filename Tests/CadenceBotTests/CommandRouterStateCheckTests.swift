import CadenceTestSupport
import Testing

@testable import CadenceBot

/// What the player state decides before the service defers: these replies go out ephemerally
/// at once, and asking never creates a player.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct CommandRouterStateCheckTests {
    func request(_ name: String, _ options: [String: CommandRequest.Value] = [:], guild: String = "g1") -> CommandRequest {
        CommandRequest(name: name, options: options, userID: "u1", guildID: guild, userVoiceChannelID: "voice-1")
    }

    @Test func aGuildWithoutAPlayerHasNothingToPauseSkipOrRemove() async {
        let router = CommandRouter.local()
        #expect(await router.stateCheck(request("pause")) == CommandReply("Nothing is playing.", ephemeral: true))
        #expect(await router.stateCheck(request("nowplaying"))?.content == "Nothing is playing.")
        #expect(await router.stateCheck(request("shuffle"))?.content == "The queue is empty.")
        #expect(await router.stateCheck(request("remove", ["position": .integer(2)]))?.ephemeral == true)
        #expect(await router.stateCheck(request("play", ["query": .string("song-a")])) == nil)
        #expect(await router.stateCheck(request("queue")) == nil)
        #expect(router.activePlayers.isEmpty, "a check must not create a player")
    }

    @Test func aPlayingGuildPassesAndOnlyItsOwnStateCounts() async throws {
        let router = CommandRouter.local()
        let engine = await router.connect()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        _ = await router.handle(request("play", ["query": .string(urls[0])]))
        #expect(await router.stateCheck(request("pause")) == nil)
        #expect(await router.stateCheck(request("resume"))?.content == "Not paused.")
        #expect(await router.stateCheck(request("remove", ["position": .integer(1)]))?.content == "The queue is empty.")
        _ = await router.handle(request("play", ["query": .string(urls[1])]))
        #expect(await router.stateCheck(request("remove", ["position": .integer(1)])) == nil)
        #expect(await router.stateCheck(request("pause", guild: "g2"))?.content == "Nothing is playing.")
    }
}
