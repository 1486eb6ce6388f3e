import AudioEngine
import Resolver
import Synchronization

@testable import CadenceBot

/// A playback that only records what it was told, and ends tracks when the test says so.
final class ScriptedPlayback: TrackPlayback {
    struct State {
        var played: [(location: String, startMs: Int64)] = []
        var paused = false
        var stops = 0
        var seeks: [Int64] = []
        var volume = 1.0
        var positionMs: Int64 = 0
        var durationMs: Int64?
    }

    let state = Mutex(State())
    let events: AsyncStream<PlayerEvent>
    private let continuation: AsyncStream<PlayerEvent>.Continuation

    init() { (events, continuation) = AsyncStream.makeStream() }

    func play(_ source: TrackSource, startMs: Int64) {
        let previous = state.withLock { state -> String? in
            defer {
                state.played.append((source.location, startMs))
                state.paused = false
            }
            return state.played.last?.location
        }
        if let previous { continuation.yield(.finished(source: previous, reason: .replaced)) }
        continuation.yield(.started(source: source.location))
    }

    func pause() { state.withLock { $0.paused = true } }
    func resume() { state.withLock { $0.paused = false } }
    func stop() { state.withLock { $0.stops += 1 } }
    func seek(toMs milliseconds: Int64) {
        state.withLock {
            $0.seeks.append(milliseconds)
            $0.positionMs = milliseconds
        }
    }
    func setVolume(_ volume: Double) { state.withLock { $0.volume = volume } }
    var positionMs: Int64? { state.withLock { $0.positionMs } }
    var durationMs: Int64? { state.withLock { $0.durationMs } }
    /// 100 frames per track played so far, so reports can be told apart.
    var stats: PacingStats? {
        var stats = PacingStats()
        stats.sent = state.withLock { $0.played.count } * 100
        return stats
    }
    var recoveries: Int { 0 }

    var playedLocations: [String] { state.withLock { $0.played.map(\.location) } }

    /// The current track runs out, as the engine reports it.
    func finishCurrentTrack() {
        if let last = state.withLock({ $0.played.last?.location }) {
            continuation.yield(.finished(source: last, reason: .endOfTrack))
        }
    }
}

/// Resolves from a fixed table: `"song-a"` → `https://media.test/song-a.opus`, titled "Song A".
/// Inputs starting with `bad` are refused the way the policy refuses a private address.
final class TableLookup: TrackLookup {
    let prefetched = Mutex<[String]>([])
    let resolved = Mutex<[String]>([])

    func resolve(_ input: String) async throws(ResolverError) -> ResolvedTrack {
        if input.hasPrefix("bad") { throw .privateAddress(host: input, address: "10.0.0.1") }
        resolved.withLock { $0.append(input) }
        let title = input.split(separator: "-").map { $0.capitalized }.joined(separator: " ")
        return ResolvedTrack(
            input: input, streamURL: "https://media.test/\(input).opus", title: title,
            durationSeconds: 200)
    }

    func prefetch(_ input: String) { prefetched.withLock { $0.append(input) } }
}

/// Joins instantly with a fresh `ScriptedPlayback` per join; can be told to fail.
final class InstantVoice: VoiceJoining {
    struct Join: Equatable {
        var guildID: String
        var channelID: String
    }
    struct Refused: Error, CustomStringConvertible { var description: String { "the channel is full" } }

    let joins = Mutex<[Join]>([])
    let leaves = Mutex<[String]>([])
    let playbacks = Mutex<[String: ScriptedPlayback]>([:])
    let refuseGuilds: Set<String>

    init(refuseGuilds: Set<String> = []) { self.refuseGuilds = refuseGuilds }

    func join(guildID: String, channelID: String) async throws -> any TrackPlayback {
        if refuseGuilds.contains(guildID) { throw Refused() }
        joins.withLock { $0.append(Join(guildID: guildID, channelID: channelID)) }
        let playback = ScriptedPlayback()
        playbacks.withLock { $0[guildID] = playback }
        return playback
    }

    func leave(guildID: String) async { leaves.withLock { $0.append(guildID) } }

    func playback(_ guildID: String) -> ScriptedPlayback? { playbacks.withLock { $0[guildID] } }
}

/// Polls `condition` until it holds or 2 s pass; the player reacts to engine events on its own task.
func eventually(_ condition: @Sendable () async -> Bool) async -> Bool {
    for _ in 0..<200 {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return false
}
