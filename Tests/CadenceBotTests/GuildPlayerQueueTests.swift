import CadenceTestSupport
import Synchronization
import Testing

@testable import CadenceBot

/// The queue through a real engine: songs resolved by yt-dlp from a loopback server play on a
/// `Player` whose sink the test opens, so "the track ended" is the engine's own event.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct GuildPlayerQueueTests {
    func connectedPlayer(trackEnded: (@Sendable (TrackReport) -> Void)? = nil) async -> (GuildPlayer, LocalEngine) {
        let player = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver(), trackEnded: trackEnded)
        let engine = LocalEngine()
        await player.attach(engine.player, channelID: "voice-1")
        return (player, engine)
    }

    @Test func firstTrackPlaysAtOnceAndLaterOnesQueueWithTheirPosition() async throws {
        let (player, engine) = await connectedPlayer()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b", "song-c"])
        let first = try await player.enqueue(urls[0], requester: "u1")
        let second = try await player.enqueue(urls[1], requester: "u2")
        let third = try await player.enqueue(urls[2], requester: "u1")
        #expect(first.position == 0)
        #expect(first.entry.title == "song-a")
        #expect(second.position == 1)
        #expect(third.position == 2)
        #expect(await player.queuedEntries.map(\.input) == [urls[1], urls[2]])
        engine.allow(10)
        #expect(await eventually { engine.player.currentSource == urls[0] })
    }

    @Test func theNextTrackIsResolvedWhileTheCurrentOnePlays() async throws {
        let resolver = LocalTracks.resolver()
        let player = GuildPlayer(guildID: "g1", resolver: resolver)
        let engine = LocalEngine()
        defer { engine.shutdown() }
        await player.attach(engine.player, channelID: "voice-1")
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        _ = try await player.enqueue(urls[0], requester: "u1")
        _ = try await player.enqueue(urls[1], requester: "u1")
        // Nothing asked for song B but the queue: the sink still holds song A's first frame.
        #expect(await eventually { await resolver.cache.cached(urls[1], now: .now) != nil })
        #expect(await player.current?.input == urls[0])
    }

    @Test func aTrackThatEndsIsFollowedByTheNextInTheQueue() async throws {
        let reports = Mutex<[String]>([])
        let (player, engine) = await connectedPlayer { report in reports.withLock { $0.append(report.entry.title) } }
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        _ = try await player.enqueue(urls[0], requester: "u1")
        _ = try await player.enqueue(urls[1], requester: "u1")
        engine.finishTrack()
        #expect(await eventually { await player.current?.input == urls[1] })
        #expect(await eventually { engine.player.currentSource == urls[1] })
        engine.finishTrack()
        #expect(await eventually { await player.current == nil })
        #expect(await eventually { !engine.player.isActive })
        #expect(await eventually { reports.withLock { $0 } == ["song-a", "song-b"] })
    }

    @Test func eachFinishedOrStoppedTrackIsReportedOnceWithItsFigures() async throws {
        let reports = Mutex<[TrackReport]>([])
        let (player, engine) = await connectedPlayer { report in reports.withLock { $0.append(report) } }
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        _ = try await player.enqueue(urls[0], requester: "u1")
        _ = try await player.enqueue(urls[1], requester: "u1")
        engine.finishTrack()
        #expect(await eventually { await player.current?.input == urls[1] })
        #expect(await eventually { reports.withLock { $0.count } == 1 })
        let first = try #require(reports.withLock { $0.first })
        #expect(first.entry.title == "song-a")
        #expect(first.guildID == "g1")
        #expect(first.stats.sent >= 145, "figures of a whole 3 s track: \(first.stats.sent) frames")
        try await player.stop()
        engine.allow(50)
        #expect(await eventually { reports.withLock { $0.count } == 2 })
        #expect(await eventually { await player.started.isEmpty })
        #expect(reports.withLock { $0.map(\.entry.title) } == ["song-a", "song-b"])
    }

    @Test func loopTrackRepeatsTheSameTrackButSkipMovesOn() async throws {
        let reports = Mutex<Int>(0)
        let (player, engine) = await connectedPlayer { _ in reports.withLock { $0 += 1 } }
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        await player.setLoop(.track)
        _ = try await player.enqueue(urls[0], requester: "u1")
        _ = try await player.enqueue(urls[1], requester: "u1")
        engine.finishTrack()
        #expect(await eventually { reports.withLock { $0 } == 1 })
        #expect(await player.current?.input == urls[0])
        #expect(await player.queuedEntries.map(\.input) == [urls[1]])
        // The same song again from its start, not the rest of the first play.
        #expect(await eventually { engine.player.currentSource == urls[0] && (engine.player.positionMs ?? .max) < 1000 })
        try await player.skip()
        #expect(await player.current?.input == urls[1])
        engine.allow(20)
        #expect(await eventually { engine.player.currentSource == urls[1] })
    }

    @Test func loopQueuePutsFinishedTracksBackAtTheEnd() async throws {
        let (player, engine) = await connectedPlayer()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        await player.setLoop(.queue)
        _ = try await player.enqueue(urls[0], requester: "u1")
        _ = try await player.enqueue(urls[1], requester: "u1")
        engine.finishTrack()
        #expect(await eventually { await player.current?.input == urls[1] })
        #expect(await player.queuedEntries.map(\.input) == [urls[0]])
        #expect(await eventually { engine.player.currentSource == urls[1] })
    }

    @Test func aSkippedTrackEndsOnceAndTheQueueMovesOneStep() async throws {
        let (player, engine) = await connectedPlayer()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b", "song-c"])
        for url in urls { _ = try await player.enqueue(url, requester: "u1") }
        engine.allow(10)
        #expect(await engine.waitForFrames(10))
        #expect(try await player.skip().input == urls[0])
        engine.allow(20)
        #expect(await eventually { engine.player.currentSource == urls[1] })
        // Song A's `.replaced` has been handled once it is no longer among the started tracks.
        #expect(await eventually { await player.started[urls[0]] == nil })
        #expect(await player.current?.input == urls[1])
        #expect(await player.queuedEntries.map(\.input) == [urls[2]])
    }

    @Test func skippingToTheSameSongQueuedAgainMovesOneStepOnly() async throws {
        let (player, engine) = await connectedPlayer()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-a", "song-b"])
        for url in urls { _ = try await player.enqueue(url, requester: "u1") }
        engine.allow(10)
        #expect(await engine.waitForFrames(10))
        try await player.skip()
        engine.allow(20)
        // The first play's `.replaced` names the same location as the second play: only its
        // reason tells it from a natural end, which would move on to song B.
        #expect(await engine.waitForFrames(30))
        try await Task.sleep(for: .milliseconds(300))
        #expect(await player.current?.input == urls[1])
        #expect(await player.queuedEntries.map(\.input) == [urls[2]])
        #expect(engine.player.currentSource == urls[1])
    }

    @Test func removeTakesOutTheNumberedTrackAndRefusesNumbersOutsideTheQueue() async throws {
        let (player, engine) = await connectedPlayer()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b", "song-c", "song-d"])
        for url in urls { _ = try await player.enqueue(url, requester: "u1") }
        let removed = try await player.remove(at: 2)
        #expect(removed.input == urls[2])
        #expect(await player.queuedEntries.map(\.input) == [urls[1], urls[3]])
        await #expect(throws: PlayerCommandError.noSuchPosition(5, count: 2)) { try await player.remove(at: 5) }
        await #expect(throws: PlayerCommandError.noSuchPosition(0, count: 2)) { try await player.remove(at: 0) }
    }

    @Test func shuffleKeepsEveryQueuedTrack() async throws {
        let (player, engine) = await connectedPlayer()
        defer { engine.shutdown() }
        let now = try await LocalTracks.url("song-now")
        let songs = try await LocalTracks.urls((1...5).map { "song-\($0)" })
        for url in [now] + songs { _ = try await player.enqueue(url, requester: "u1") }
        #expect(try await player.shuffle() == 5)
        #expect(await Set(player.queuedEntries.map(\.input)) == Set(songs))
        #expect(await player.current?.input == now)
    }

    @Test func stopClearsTheQueueEndsTheTrackAndPlaysNothingElse() async throws {
        let (player, engine) = await connectedPlayer()
        defer { engine.shutdown() }
        let urls = try await LocalTracks.urls(["song-a", "song-b"])
        _ = try await player.enqueue(urls[0], requester: "u1")
        _ = try await player.enqueue(urls[1], requester: "u1")
        engine.allow(10)
        #expect(await engine.waitForFrames(10))
        try await player.stop()
        engine.allow(100)
        #expect(await eventually { !engine.player.isActive })
        #expect(await eventually { await player.started.isEmpty }, "the stop was handled")
        #expect(await player.current == nil, "a stopped track must not advance the queue")
        #expect(await player.queuedEntries.isEmpty)
        #expect(engine.player.currentSource == nil)
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.stop() }
    }

    @Test func aRefusedURLIsReportedAndNothingIsQueued() async throws {
        let player = GuildPlayer(guildID: "g1", resolver: LocalTracks.strictResolver())
        let engine = LocalEngine()
        defer { engine.shutdown() }
        await player.attach(engine.player, channelID: "voice-1")
        let url = try await LocalTracks.url("song-a")
        let error = await #expect(throws: PlayerCommandError.self) { try await player.enqueue(url, requester: "u1") }
        #expect(error?.description.contains("private network") == true, "\(String(describing: error))")
        #expect(!engine.player.isActive)
        #expect(await player.current == nil)
    }
}
