import AudioEngine
import Resolver
import Store

/// With `/normalize on` the engine measures each track it was not told the loudness of; the
/// guild keeps that under the track's identity, so the next play of it, in any guild and
/// after a restart, gets its gain from the first sample instead of a running estimate.
extension GuildPlayer {
    /// The loudness kept for `track`, if any. A store that cannot be read costs only the
    /// fixed gain: the track plays and is measured anew.
    static func storedLoudness(of track: ResolvedTrack, in repository: TrackLoudnessRepository?) async -> TrackLoudness? {
        guard let repository, !track.isLive,
            let record = try? await repository.loudness(of: track.loudnessIdentity)
        else { return nil }
        return TrackLoudness(integratedLUFS: record.integratedLUFS, truePeakDBTP: record.truePeakDBTP)
    }

    /// Notes the identity of a track handed to the engine without a loudness, to store what
    /// the engine will measure of it (only when it plays whole with normalisation on).
    func expectMeasurement(of track: ResolvedTrack) {
        guard loudness != nil, !track.isLive else { return }
        // Tracks skipped, seeked or played with normalisation off are never measured; a long
        // session of those must not grow this without end.
        if unmeasured.count >= 64 { unmeasured.removeAll() }
        unmeasured[track.streamURL] = track.loudnessIdentity
    }

    /// The identity a measurement of `location` is kept under, once.
    func claimIdentity(measuredAt location: String) -> String? { unmeasured.removeValue(forKey: location) }

    /// Stores each of `engine`'s measurements under its track's identity. A write that fails
    /// loses that figure only; playback never waits on it.
    func keepMeasurements(of engine: Player) -> Task<Void, Never>? {
        guard let repository = loudness else { return nil }
        let measurements = engine.measurements
        return Task { [weak self] in
            for await measurement in measurements {
                guard let identity = await self?.claimIdentity(measuredAt: measurement.source) else { continue }
                try? await repository.save(
                    TrackLoudnessRecord(
                        id: identity, integratedLUFS: measurement.loudness.integratedLUFS,
                        truePeakDBTP: measurement.loudness.truePeakDBTP))
            }
        }
    }
}
