import Synchronization
import Testing

@testable import CadenceBot

@Suite struct GuildPlayerQueueTests {
    let lookup = TableLookup()

    func connectedPlayer() async -> (GuildPlayer, ScriptedPlayback) {
        let player = GuildPlayer(guildID: "g1", lookup: lookup)
        let playback = ScriptedPlayback()
        await player.attach(playback, channelID: "voice-1")
        return (player, playback)
    }

    @Test func firstTrackPlaysAtOnceAndLaterOnesQueueWithTheirPosition() async throws {
        let (player, playback) = await connectedPlayer()
        let first = try await player.enqueue("song-a", requester: "u1")
        let second = try await player.enqueue("song-b", requester: "u2")
        let third = try await player.enqueue("song-c", requester: "u1")
        #expect(first.position == 0)
        #expect(first.entry.title == "Song A")
        #expect(first.entry.durationMs == 200_000)
        #expect(second.position == 1)
        #expect(third.position == 2)
        #expect(playback.playedLocations == ["https://media.test/song-a.opus"])
        #expect(await player.queuedEntries.map(\.input) == ["song-b", "song-c"])
    }

    @Test func theNextTrackIsPrefetchedWhileTheCurrentOnePlays() async throws {
        let (player, _) = await connectedPlayer()
        _ = try await player.enqueue("song-a", requester: "u1")
        _ = try await player.enqueue("song-b", requester: "u1")
        #expect(lookup.prefetched.withLock { $0 } == ["song-b"])
    }

    @Test func aTrackThatEndsIsFollowedByTheNextInTheQueue() async throws {
        let (player, playback) = await connectedPlayer()
        _ = try await player.enqueue("song-a", requester: "u1")
        _ = try await player.enqueue("song-b", requester: "u1")
        playback.finishCurrentTrack()
        #expect(await eventually { await player.current?.input == "song-b" })
        #expect(playback.playedLocations.last == "https://media.test/song-b.opus")
        playback.finishCurrentTrack()
        #expect(await eventually { await player.current == nil })
        #expect(playback.playedLocations.count == 2)
    }

    @Test func eachFinishedOrStoppedTrackIsReportedOnceWithItsFigures() async throws {
        let reports = Mutex<[TrackReport]>([])
        let player = GuildPlayer(guildID: "g1", lookup: lookup) { report in reports.withLock { $0.append(report) } }
        let playback = ScriptedPlayback()
        await player.attach(playback, channelID: "voice-1")
        _ = try await player.enqueue("song-a", requester: "u1")
        _ = try await player.enqueue("song-b", requester: "u1")
        playback.finishCurrentTrack()
        #expect(await eventually { await player.current?.input == "song-b" })
        #expect(await eventually { reports.withLock { $0.count } == 1 })
        #expect(reports.withLock { $0.first?.entry.title } == "Song A")
        #expect(reports.withLock { $0.first?.stats.sent } == 100, "figures taken before song B started")
        #expect(reports.withLock { $0.first?.guildID } == "g1")
    }

    @Test func loopTrackRepeatsTheSameTrackButSkipMovesOn() async throws {
        let (player, playback) = await connectedPlayer()
        await player.setLoop(.track)
        _ = try await player.enqueue("song-a", requester: "u1")
        _ = try await player.enqueue("song-b", requester: "u1")
        playback.finishCurrentTrack()
        #expect(await eventually { playback.playedLocations.count == 2 })
        #expect(await player.current?.input == "song-a")
        try await player.skip()
        #expect(await player.current?.input == "song-b")
    }

    @Test func loopQueuePutsFinishedTracksBackAtTheEnd() async throws {
        let (player, playback) = await connectedPlayer()
        await player.setLoop(.queue)
        _ = try await player.enqueue("song-a", requester: "u1")
        _ = try await player.enqueue("song-b", requester: "u1")
        playback.finishCurrentTrack()
        #expect(await eventually { await player.current?.input == "song-b" })
        #expect(await player.queuedEntries.map(\.input) == ["song-a"])
    }

    @Test func removeTakesOutTheNumberedTrackAndRefusesNumbersOutsideTheQueue() async throws {
        let (player, _) = await connectedPlayer()
        for song in ["song-a", "song-b", "song-c", "song-d"] { _ = try await player.enqueue(song, requester: "u1") }
        let removed = try await player.remove(at: 2)
        #expect(removed.input == "song-c")
        #expect(await player.queuedEntries.map(\.input) == ["song-b", "song-d"])
        await #expect(throws: PlayerCommandError.noSuchPosition(5, count: 2)) { try await player.remove(at: 5) }
        await #expect(throws: PlayerCommandError.noSuchPosition(0, count: 2)) { try await player.remove(at: 0) }
    }

    @Test func shuffleKeepsEveryQueuedTrack() async throws {
        let (player, _) = await connectedPlayer()
        let songs = (1...12).map { "song-\($0)" }
        for song in ["song-now"] + songs { _ = try await player.enqueue(song, requester: "u1") }
        #expect(try await player.shuffle() == 12)
        #expect(await Set(player.queuedEntries.map(\.input)) == Set(songs))
        #expect(await player.current?.input == "song-now")
    }

    @Test func theQueueIsListedInPagesOfTen() async throws {
        let (player, _) = await connectedPlayer()
        for index in 0...23 { _ = try await player.enqueue("song-\(index)", requester: "u1") }
        let second = await player.queuePage(2)
        #expect(second.pageCount == 3)
        #expect(second.total == 23)
        #expect(second.items.first?.position == 11)
        #expect(second.items.first?.entry.input == "song-11")
        #expect(await player.queuePage(99).number == 3)
        #expect(await player.queuePage(3).items.count == 3)
    }

    @Test func stopClearsTheQueueAndEndsTheTrack() async throws {
        let (player, playback) = await connectedPlayer()
        _ = try await player.enqueue("song-a", requester: "u1")
        _ = try await player.enqueue("song-b", requester: "u1")
        try await player.stop()
        #expect(playback.state.withLock { $0.stops } == 1)
        #expect(await player.current == nil)
        #expect(await player.queuedEntries.isEmpty)
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.stop() }
    }

    @Test func aRefusedURLIsReportedAndNothingIsQueued() async throws {
        let (player, playback) = await connectedPlayer()
        await #expect(throws: PlayerCommandError.self) { try await player.enqueue("bad-host", requester: "u1") }
        #expect(playback.playedLocations.isEmpty)
        #expect(await player.current == nil)
    }
}
