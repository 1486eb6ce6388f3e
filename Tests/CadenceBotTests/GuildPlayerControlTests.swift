import Testing

@testable import CadenceBot

@Suite struct GuildPlayerControlTests {
    func playing() async throws -> (GuildPlayer, ScriptedPlayback) {
        let player = GuildPlayer(guildID: "g1", lookup: TableLookup())
        let playback = ScriptedPlayback()
        await player.attach(playback, channelID: "voice-1")
        _ = try await player.enqueue("song-a", requester: "u1")
        return (player, playback)
    }

    @Test func pauseAndResumeReachTheEngineOnceEach() async throws {
        let (player, playback) = try await playing()
        try await player.pause()
        #expect(playback.state.withLock { $0.paused })
        await #expect(throws: PlayerCommandError.alreadyPaused) { try await player.pause() }
        try await player.resume()
        #expect(!playback.state.withLock { $0.paused })
        await #expect(throws: PlayerCommandError.notPaused) { try await player.resume() }
    }

    @Test func volumeIsAPercentageFrom0To1000() async throws {
        let (player, playback) = try await playing()
        try await player.setVolume(150)
        #expect(playback.state.withLock { $0.volume } == 1.5)
        await #expect(throws: PlayerCommandError.volumeOutOfRange(1001)) { try await player.setVolume(1001) }
        await #expect(throws: PlayerCommandError.volumeOutOfRange(-1)) { try await player.setVolume(-1) }
        #expect(await player.volumePercent == 150)
    }

    @Test func seekTakesMinutesAndSecondsAndStaysInsideTheTrack() async throws {
        let (player, playback) = try await playing()
        #expect(try await player.seek(to: "1:30") == 90_000)
        #expect(playback.state.withLock { $0.seeks } == [90_000])
        await #expect(throws: PlayerCommandError.badTimeFormat("1:75")) { try await player.seek(to: "1:75") }
        await #expect(throws: PlayerCommandError.seekBeyondEnd(positionMs: 300_000, durationMs: 200_000)) {
            try await player.seek(to: "5:00")
        }
    }

    @Test func controlsWithNothingPlayingSayWhy() async throws {
        let player = GuildPlayer(guildID: "g1", lookup: TableLookup())
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.pause() }
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.skip() }
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.nowPlaying() }
        await #expect(throws: PlayerCommandError.nothingPlaying) { try await player.seek(to: "0:10") }
    }

    @Test func nowPlayingShowsPositionAgainstTheTrackLength() async throws {
        let (player, playback) = try await playing()
        playback.state.withLock { $0.positionMs = 50_000 }
        let now = try await player.nowPlaying()
        #expect(now.entry.requester == "u1")
        #expect(now.positionMs == 50_000)
        #expect(now.durationMs == 200_000)
    }
}
