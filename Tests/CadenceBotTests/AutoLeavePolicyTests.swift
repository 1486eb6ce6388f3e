import CadenceTestSupport
import Testing

@testable import CadenceBot

/// Auto-leave runs on an injected clock: minutes pass in a line of test code.
@Suite struct AutoLeavePolicyTests {
    @Test func leavesAfterFiveMinutesWithNothingPlaying() async {
        let clock = ManualClock()
        let voice = InstantVoice()
        let router = CommandRouter(.init(lookup: TableLookup(), voice: voice, clock: clock))
        _ = await router.handle(
            CommandRequest(
                name: "play", options: ["query": .string("song-a")], userID: "u1",
                guildID: "g1", userVoiceChannelID: "v1"))
        clock.advance(by: .seconds(600))
        #expect(await router.autoLeaveSweep().isEmpty, "a playing track is never idle")
        _ = await router.handle(CommandRequest(name: "stop", userID: "u1", guildID: "g1"))
        clock.advance(by: .seconds(299))
        #expect(await router.autoLeaveSweep().isEmpty)
        clock.advance(by: .seconds(1))
        #expect(await router.autoLeaveSweep() == ["g1": .idle])
        #expect(voice.leaves.withLock { $0 } == ["g1"])
    }

    @Test func leavesAfterFiveMinutesAloneEvenWhilePlaying() async throws {
        let clock = ManualClock()
        let player = GuildPlayer(guildID: "g1", lookup: TableLookup(), clock: clock)
        await player.attach(ScriptedPlayback(), channelID: "v1")
        _ = try await player.enqueue("song-a", requester: "u1")
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
