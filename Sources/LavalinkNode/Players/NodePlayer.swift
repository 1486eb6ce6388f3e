import AudioEngine
import DiscordVoice
import Foundation
import Logging

/// One Lavalink player (one guild of one session): an engine `Player` on the node's pacer,
/// sending through the guild's DAVE voice connection, with Lavalink's state and events.
///
/// Guarantees: events go out in Lavalink's order (TrackEnd `replaced` before the new
/// TrackStart; exactly one TrackEnd per TrackStart, with one of the five reasons); a voice
/// reconnect keeps the track and its position; `destroy` ends audio and voice.
package actor NodePlayer {
    package let guildId: String
    let context: NodeContext
    let userId: String
    /// Sends one op to the session's client (queued while a resumable session is away).
    let emit: @Sendable (JSONValue) async -> Void

    let sink = VoiceSink()
    let engine: Player
    var track: NodeTrack?
    var volume = 100
    var paused = false
    var filters: JSONValue = .object([:])
    var endTime: Int64?
    var voice = VoiceState()
    var connection: VoiceConnection?
    var voiceWatcher: Task<Void, Never>?
    var eventTask: Task<Void, Never>?
    var endWatcher: Task<Void, Never>?
    /// Tracks handed to the engine whose engine-side end has not arrived yet, oldest first.
    var plays: [Play] = []
    var lastFrameSample: (sent: Int, nulled: Int, deficit: Int, at: ContinuousClock.Instant)?
    var destroyed = false

    struct Play {
        var id: Int
        var location: String
        var track: NodeTrack
        /// TrackEnd already sent by the node itself (stop, replace, endTime): the engine's end is swallowed.
        var ended = false
        var stuckReported = false
        var started = false
    }

    var nextPlayID = 0
    /// The play `track` belongs to.
    var currentPlay: Int?

    package init(guildId: String, userId: String, context: NodeContext, emit: @escaping @Sendable (JSONValue) async -> Void) {
        self.guildId = guildId
        self.userId = userId
        self.context = context
        self.emit = emit
        engine = Player(sink: sink, pacer: context.pacer, options: context.playerOptions)
    }

    /// Starts consuming the engine's events; separate from `init` because it needs `self`.
    package func start() {
        let events = engine.events
        eventTask = Task { [weak self] in
            for await event in events { await self?.handle(event) }
        }
    }

    // MARK: JSON

    package var isConnected: Bool { connection != nil && sink.isReady }

    package var positionMs: Int64 {
        guard track != nil else { return 0 }
        return engine.positionMs ?? track?.info.position ?? 0
    }

    package func stateJSON() -> JSONValue {
        [
            "time": .int(Int64(Date().timeIntervalSince1970 * 1000)), "position": .int(positionMs),
            "connected": .bool(isConnected), "ping": .int(pingMs)
        ]
    }

    /// Lavalink's `ping`: the voice WebSocket's heartbeat round trip in ms, -1 while not connected
    /// (or before the first acknowledgement).
    package var pingMs: Int64 {
        guard isConnected, let roundTrip = connection?.heartbeatRoundTrip else { return -1 }
        return Int64((roundTrip / .milliseconds(1)).rounded())
    }

    package func json() -> JSONValue {
        [
            "guildId": .string(guildId), "track": track.map { $0.json(position: positionMs) } ?? .null,
            "volume": .int(Int64(volume)), "paused": .bool(paused), "state": stateJSON(), "voice": voice.json,
            "filters": filters
        ]
    }

    package func playerUpdate() -> JSONValue {
        ["op": "playerUpdate", "guildId": .string(guildId), "state": stateJSON()]
    }

    package var isPlaying: Bool { track != nil && !paused }
    package var hasTrack: Bool { track != nil }

    /// Frames of the last interval, scaled to a minute, for `stats.frameStats`; nil without a playing track.
    package func sampleFrames() -> (sent: Int, nulled: Int, deficit: Int)? {
        guard isPlaying, let stats = engine.stats else {
            lastFrameSample = nil
            return nil
        }
        let now = ContinuousClock.now
        defer { lastFrameSample = (stats.sent, stats.nulled, stats.deficit, now) }
        guard let last = lastFrameSample, stats.sent >= last.sent else { return nil }
        let seconds = (now - last.at) / .seconds(1)
        guard seconds >= 1 else { return nil }
        let scale = 60 / seconds
        return (
            Int(Double(stats.sent - last.sent) * scale), Int(Double(stats.nulled - last.nulled) * scale),
            Int(Double(max(0, stats.deficit - last.deficit)) * scale)
        )
    }
}
