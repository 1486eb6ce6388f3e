/// A track's measured loudness (EBU R128 / BS.1770-4): what normalisation needs to apply one
/// fixed gain from the first sample. The engine measures it on a track's first play and hands
/// it out as a `TrackMeasurement`; the caller stores it (the engine knows no store) and passes
/// it back on the track's `TrackSource` next time.
public struct TrackLoudness: Sendable, Equatable, Codable {
    /// Gated integrated loudness, LUFS.
    public var integratedLUFS: Double
    /// True peak, dBTP.
    public var truePeakDBTP: Double

    public init(integratedLUFS: Double, truePeakDBTP: Double) {
        self.integratedLUFS = integratedLUFS
        self.truePeakDBTP = truePeakDBTP
    }
}

/// A track whose whole input was measured while it played (normalisation on, loudness not
/// given): `source` is its location as given to the player.
public struct TrackMeasurement: Sendable, Equatable {
    public var source: String
    public var loudness: TrackLoudness

    public init(source: String, loudness: TrackLoudness) {
        self.source = source
        self.loudness = loudness
    }
}
