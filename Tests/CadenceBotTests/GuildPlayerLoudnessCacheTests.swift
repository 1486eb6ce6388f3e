import AudioEngine
import CadenceTestSupport
import Foundation
import GRDB
import Store
import Testing

@testable import CadenceBot

/// `/normalize on` with the store: the engine's measurement of a track is kept under the
/// track's identity, and the next play of it (here after a restart: a new guild player on a
/// new engine) starts at the stored gain instead of estimating it again.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct GuildPlayerLoudnessCacheTests {
    static func temporaryDatabase() throws -> (AppDatabase, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-loudness-\(UUID().uuidString).sqlite").path
        return (try AppDatabase(path: path), path)
    }

    /// Plays `url` whole with normalisation on, through a new guild player and engine (a
    /// restart, for the store), and returns what a listener decodes of it.
    static func playNormalised(
        _ url: String, loudness: TrackLoudnessRepository, in directory: URL, name: String
    ) async throws -> [Float] {
        let engine = LocalEngine()
        defer { engine.shutdown() }
        let guild = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver(), loudness: loudness)
        await guild.setNormalize(true)
        await guild.attach(engine.player, channelID: "voice-1")
        _ = try await guild.enqueue(url, requester: "u1")
        engine.sink.release()
        #expect(await eventually { await guild.current == nil && !engine.player.isActive }, "the track played to its end")
        return try await decode(engine.sink, in: directory, name: name)
    }

    /// ffmpeg's decode of the audio frames the sink received (interleaved stereo, 48 kHz).
    static func decode(_ sink: RecordingSink, in directory: URL, name: String) async throws -> [Float] {
        let file = directory.appendingPathComponent("\(name).ogg")
        let writer = try OggOpusWriter(url: file)
        for frame in sink.audioFrames { try frame.withUnsafeBytes { try writer.append($0) } }
        try writer.close()
        let raw = directory.appendingPathComponent("\(name).f32")
        try await Tools.ffmpeg(["-i", file.path, "-f", "f32le", "-ac", "2", "-ar", "48000", raw.path])
        return try Data(contentsOf: raw).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }

    /// RMS in dBFS of `seconds` of interleaved stereo from `start` seconds in.
    static func level(_ samples: [Float], from start: Double = 0, seconds: Double = 0.5) -> Double {
        let window = samples.dropFirst(Int(start * 48_000) * 2).prefix(Int(seconds * 48_000) * 2)
        let power = window.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(max(1, window.count))
        return 10 * log10(max(power, 1e-12))
    }

    @Test func aMeasuredTrackIsKeptByIdentityAndTheNextPlayStartsAtItsGain() async throws {
        let (database, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try Tools.temporaryDirectory("bot-loudness")
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = TrackLoudnessRepository(database: database)
        let url = try await LocalTracks.url("song-a")
        let identity = try await LocalTracks.resolver().resolve(url).loudnessIdentity
        #expect(!identity.contains("token="), "the identity is the page, not a stream URL with its token")

        let first = try await Self.playNormalised(url, loudness: repository, in: directory, name: "first")
        // The 440 Hz tone at −20 dBFS peak in both channels measures about −20 LUFS.
        #expect(await eventually { (try? await repository.loudness(of: identity)) != nil }, "nothing stored under \(identity)")
        let record = try #require(try await repository.loudness(of: identity))
        #expect(abs(record.integratedLUFS - -20) < 1.5, "\(record.integratedLUFS) LUFS")
        let measuredAt = record.measuredAt

        let second = try await Self.playNormalised(url, loudness: repository, in: directory, name: "second")
        // Unmeasured, the gain starts near 0 dB and moves at most 1 dB/s; known, it is the
        // whole +6 dB to −14 LUFS from the first sample.
        let firstLevel = Self.level(first), secondLevel = Self.level(second)
        print("loudness cache: opening level \(firstLevel) dBFS unmeasured, \(secondLevel) dBFS from the store")
        #expect(secondLevel - firstLevel > 4, "first \(firstLevel) dBFS, second \(secondLevel) dBFS")
        #expect(abs(secondLevel - -17) < 1.5, "a −14 LUFS sine in both channels is about −17 dBFS RMS")
        // A play that knew its loudness is not measured, so nothing was stored again.
        try await Task.sleep(for: .milliseconds(200))
        #expect(try await repository.loudness(of: identity)?.measuredAt == measuredAt)
    }

    @Test func anArmedNextTrackCarriesItsStoredLoudness() async throws {
        let (database, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try Tools.temporaryDirectory("bot-loudness-armed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = TrackLoudnessRepository(database: database)
        let urls = try await LocalTracks.urls(["song-c", "song-d"])
        _ = try await Self.playNormalised(urls[1], loudness: repository, in: directory, name: "measure")
        let identity = try await LocalTracks.resolver().resolve(urls[1]).loudnessIdentity
        #expect(await eventually { (try? await repository.loudness(of: identity)) != nil })

        let engine = LocalEngine()
        defer { engine.shutdown() }
        let guild = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver(), loudness: repository)
        await guild.setNormalize(true)
        await guild.attach(engine.player, channelID: "voice-1")
        for url in urls { _ = try await guild.enqueue(url, requester: "u1") }
        // Held until song D is handed over as the gapless successor, not started by a new play.
        #expect(await eventually { await guild.armed?.source == urls[1] })
        engine.sink.release()
        #expect(await eventually { await guild.current == nil && !engine.player.isActive })
        let played = try await Self.decode(engine.sink, in: directory, name: "armed")
        // Song D begins 3 s in, at the stored gain at once (song C was still being estimated).
        let opening = Self.level(played, from: 3.05)
        print("loudness cache: armed successor opens at \(opening) dBFS")
        #expect(abs(opening - -16.4) < 1, "\(opening) dBFS")
    }

    @Test func aStoreThatFailsDoesNotStopPlayback() async throws {
        let (database, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let directory = try Tools.temporaryDirectory("bot-loudness-broken")
        defer { try? FileManager.default.removeItem(at: directory) }
        // Every read and write of the table fails from now on.
        try await database.writer.write { try $0.execute(sql: "DROP TABLE trackLoudness") }
        let repository = TrackLoudnessRepository(database: database)
        let url = try await LocalTracks.url("song-b")
        let played = try await Self.playNormalised(url, loudness: repository, in: directory, name: "broken")
        // 3 s of the tone, normalised on the fly as without a store.
        #expect(played.count / 2 > 140_000, "\(played.count / 2) samples")
        await #expect(throws: StoreError.self) { try await repository.loudness(of: url) }
    }
}
