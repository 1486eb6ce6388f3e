import AudioEngine

/// The audio side of one guild's voice connection, as the guild player drives it.
///
/// Two implementations: `EnginePlayback` (AudioEngine's `Player` sending into Discord voice)
/// and the scripted stand-in the unit tests use to check queue logic without real audio.
package protocol TrackPlayback: AnyObject, Sendable {
    func play(_ source: TrackSource, startMs: Int64)
    func pause()
    func resume()
    func stop()
    func seek(toMs: Int64)
    /// 0.0–2.0.
    func setVolume(_ volume: Double)
    var positionMs: Int64? { get }
    var durationMs: Int64? { get }
    /// Frame figures of the current (or last) track.
    var stats: PacingStats? { get }
    var recoveries: Int { get }
    /// Track starts and ends, in order; the guild player consumes it from one task.
    var events: AsyncStream<PlayerEvent> { get }
    /// Whether `setNext` can make the next track follow without a gap.
    var supportsNext: Bool { get }
    /// Hands over the track to follow the current one gaplessly (nil clears it); false when
    /// it is too late (the one set before is already being decoded) or unsupported.
    func setNext(_ source: TrackSource?) -> Bool
}

extension TrackPlayback {
    package var supportsNext: Bool { false }
    package func setNext(_ source: TrackSource?) -> Bool { false }
}

/// `TrackPlayback` over AudioEngine's `Player`.
package final class EnginePlayback: TrackPlayback {
    package let player: Player

    package init(player: Player) { self.player = player }

    package func play(_ source: TrackSource, startMs: Int64) { player.play(source, startMs: startMs) }
    package func pause() { player.pause() }
    package func resume() { player.resume() }
    package func stop() { player.stop() }
    package func seek(toMs milliseconds: Int64) { player.seek(toMs: milliseconds) }
    package func setVolume(_ volume: Double) { player.volume = volume }
    package var positionMs: Int64? { player.positionMs }
    package var durationMs: Int64? { player.durationMs }
    package var stats: PacingStats? { player.stats }
    package var recoveries: Int { player.recoveries }
    package var events: AsyncStream<PlayerEvent> { player.events }
    package var supportsNext: Bool { true }
    package func setNext(_ source: TrackSource?) -> Bool { player.setNext(source) }
}
