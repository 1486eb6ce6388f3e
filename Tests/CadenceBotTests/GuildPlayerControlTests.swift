import CadenceTestSupport
import Testing

@testable import CadenceBot

/// Pause, volume, seek and /nowplaying, checked on what the real engine does and reports.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct GuildPlayerControlTests {
    /// A guild playing song A, 10 frames in.
    func playing() async throws -> (GuildPlayer, LocalEngine) {
        let player = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver())
        let engine = LocalEngine()
        await player.attach(engine.player, channelID: "voice-1")
        _ = try await player.enqueue(try await LocalTracks.url("song-a"), requester: "u1")
        engine.allow(10)
        #expect(await engine.waitForFrames(10))
        return (player, engine)
    }

    @Test func pauseAndResumeReachTheEngineOnceEach() async throws {
        let (player, engine) = try await playing()
        defer { engine.shutdown() }
        try await player.pause()
        engine.allow(40)
        // A pause ends the burst: five silence frames, then speaking off.
        #expect(await eventually { engine.sink.speakingHistory == [true, false] })
        let pausedAt = engine.player.positionMs
        await #expect(throws: PlayerCommandError.alreadyPaused) { try await player.pause() }
        #expect(engine.player.positionMs == pausedAt, "the position moved while paused")
        try await player.resume()
        #expect(await eventually { engine.sink.speakingHistory == [true, false, true] })
        #expect(await eventually { (engine.player.positionMs ?? 0) > (pausedAt ?? .max) })
        await #expect(throws: PlayerCommandError.notPaused) { try await player.resume() }
    }

    @Test func volumeIsAPercentageFrom0To1000AndOutlivesTheConnection() async throws {
        let (player, engine) = try await playing()
        defer { engine.shutdown() }
        try await player.setVolume(150)
        #expect(engine.player.volume == 1.5)
        await #expect(throws: PlayerCommandError.volumeOutOfRange(1001)) { try await player.setVolume(1001) }
        await #expect(throws: PlayerCommandError.volumeOutOfRange(-1)) { try await player.setVolume(-1) }
        #expect(await player.volumePercent == 150)
        #expect(engine.player.volume == 1.5)
        let reconnected = LocalEngine()
        defer { reconnected.shutdown() }
        await player.attach(reconnected.player, channelID: "voice-1")
        #expect(reconnected.player.volume == 1.5)
    }

    @Test func seekTakesMinutesAndSecondsAndStaysInsideTheTrack() async throws {
        let (player, engine) = try await playing()
        defer { engine.shutdown() }
        // The limit is the length the file declares, known once the engine opened it.
        #expect(await eventually { engine.player.durationMs == LocalTracks.milliseconds })
        #expect(try await player.seek(to: "0:02") == 2000)
        engine.allow(5)
        #expect(await eventually { (engine.player.positionMs ?? 0) >= 2000 })
        #expect((engine.player.positionMs ?? 0) < 2200, "landed at \(engine.player.positionMs ?? -1) ms")
        await #expect(throws: PlayerCommandError.badTimeFormat("1:75")) { try await player.seek(to: "1:75") }
        await #expect(throws: PlayerCommandError.seekBeyondEnd(positionMs: 5000, durationMs: 3000)) {
            try await player.seek(to: "0:05")
        }
    }

    @Test func controlsWithNothingPlayingSayWhy() async throws {
        let player = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver())
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.pause() }
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.skip() }
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.nowPlaying() }
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.seek(to: "0:10") }
    }

    @Test func nowPlayingShowsPositionAgainstTheTrackLength() async throws {
        let (player, engine) = try await playing()
        defer { engine.shutdown() }
        engine.allow(50)
        #expect(await engine.waitForFrames(60))
        let now = try await player.nowPlaying()
        #expect(now.entry.requester == "u1")
        #expect(now.positionMs == engine.player.positionMs)
        #expect(now.positionMs >= 1000)
        #expect(now.durationMs == LocalTracks.milliseconds)
    }
}
