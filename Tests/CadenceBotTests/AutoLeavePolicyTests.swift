import CadenceTestSupport
import Testing

@testable import CadenceBot

/// Auto-leave runs on an injected clock: minutes pass in a line of test code, while the
/// engine plays on its own virtual clock.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct AutoLeavePolicyTests {
    @Test func leavesAfterFiveMinutesWithNothingPlaying() async throws {
        let clock = ManualClock()
        let router = CommandRouter.local(clock: clock)
        let engine = await router.connect(channelID: "v1")
        defer { engine.shutdown() }
        _ = await router.handle(
            CommandRequest(
                name: "play", options: ["query": .string(try await LocalTracks.url("song-a"))], userID: "u1",
                guildID: "g1", userVoiceChannelID: "v1"))
        clock.advance(by: .seconds(600))
        #expect(await router.autoLeaveSweep().isEmpty, "a playing track is never idle")
        _ = await router.handle(CommandRequest(name: "stop", userID: "u1", guildID: "g1"))
        clock.advance(by: .seconds(299))
        #expect(await router.autoLeaveSweep().isEmpty)
        clock.advance(by: .seconds(1))
        let player = router.player(for: "g1")
        #expect(await router.autoLeaveSweep() == ["g1": .idle])
        #expect(await !player.isConnected)
        #expect(router.activePlayers.isEmpty)
        engine.allow(100)
        #expect(await eventually { !engine.player.isActive }, "leaving stopped the engine")
    }

    @Test func leavesAfterFiveMinutesAloneEvenWhilePlaying() async throws {
        let clock = ManualClock()
        let player = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver(), clock: clock)
        let engine = LocalEngine()
        defer { engine.shutdown() }
        await player.attach(engine.player, channelID: "v1")
        _ = try await player.enqueue(try await LocalTracks.url("song-a"), requester: "u1")
        await player.listenersChanged(count: 0)
        clock.advance(by: .seconds(200))
        await player.listenersChanged(count: 2)
        clock.advance(by: .seconds(200))
        #expect(await player.leaveReason() == nil, "someone came back: the alone timer restarted")
        await player.listenersChanged(count: 0)
        clock.advance(by: .seconds(300))
        #expect(await player.leaveReason() == .alone)
    }
}
