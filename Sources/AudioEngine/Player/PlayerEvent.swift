/// What a player reports about its tracks, in the order it happened.
public enum PlayerEvent: Sendable, Equatable {
    /// The first frame of the track reached the sink.
    case started(source: String)
    /// The track ended; the reason says whether it ran out or was cut short.
    case finished(source: String, reason: FinishReason)
    /// The track could not be played or broke off; frames already sent were heard.
    case failed(source: String, error: EngineError)
    /// No frame for `PlayerOptions.stuckThreshold` (10 s) while playing: the source is
    /// stalled. The track stays loaded and its decoder restarts at the position.
    case stuck(source: String)
}

/// Why a track finished.
public enum FinishReason: String, Sendable, Equatable {
    case endOfTrack
    case stopped
    /// Another `play` replaced it.
    case replaced
}

/// Settings for a player's tracks.
public struct PlayerOptions: Sendable {
    /// Ring size in 20 ms frames; 250 buffers 5 s.
    public var ringCapacity = 250
    /// Opus bitrate in bit/s for re-encoded audio.
    public var bitrate: Int32 = 128_000
    /// libopus complexity, 0–10.
    public var complexity: Int32 = 10
    /// Initial volume, 0.0–10.0 (0–1000 %); 1.0 is unity.
    public var volume = 1.0
    /// No frame for this long while playing raises `stuck` and restarts the decoder.
    public var stuckThreshold: Duration = .seconds(10)

    public init(
        ringCapacity: Int = 250, bitrate: Int32 = 128_000, complexity: Int32 = 10, volume: Double = 1.0,
        stuckThreshold: Duration = .seconds(10)
    ) {
        self.ringCapacity = ringCapacity
        self.bitrate = bitrate
        self.complexity = complexity
        self.volume = volume
        self.stuckThreshold = stuckThreshold
    }
}
