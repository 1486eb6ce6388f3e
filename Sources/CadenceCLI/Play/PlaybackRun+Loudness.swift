import AudioEngine
import Foundation
import Store

/// `--normalize` with a database: each track's loudness is looked up by its identity before it
/// is queued (a hit is normalised from its first sample), and what the engine measures of the
/// others is kept for next time. Without a database the engine still reuses, within the run,
/// the measurement of a file queued twice.
extension PlaybackRun {
    /// A file's absolute path, or the URL as given.
    static func loudnessIdentity(of input: String) -> String {
        if input.contains("://") { return input }
        return URL(fileURLWithPath: input).standardizedFileURL.path
    }

    static func withStoredLoudness(_ tracks: [TrackSource], identities: [String], cache: TrackLoudnessRepository) async
        -> [TrackSource]
    {
        var tracks = tracks
        for index in tracks.indices where !tracks[index].isLive {
            // A database that cannot be read only costs the fixed gain: the track is measured anew.
            guard let record = try? await cache.loudness(of: identities[index]) else { continue }
            tracks[index].loudness = TrackLoudness(integratedLUFS: record.integratedLUFS, truePeakDBTP: record.truePeakDBTP)
        }
        return tracks
    }

    /// Stores the engine's measurements under the tracks' identities until every track that
    /// will be measured has been (a track is measured once per run, from its start, unless it
    /// is live or its loudness was known), or the player's stream is over.
    func keepMeasurements(
        of tracks: [TrackSource], identities: [String], startMs: Int64,
        cache: TrackLoudnessRepository
    ) -> Task<Void, Never> {
        var identityOf: [String: String] = [:]
        var pending = Set<String>()
        for (index, track) in tracks.enumerated() where track.loudness == nil && !track.isLive && !(index == 0 && startMs > 0) {
            identityOf[track.location] = identities[index]
            pending.insert(track.location)
        }
        let player = player
        let wanted = pending, identities = identityOf
        return Task {
            guard !wanted.isEmpty else { return }
            await withTaskGroup(of: Void.self) { group in
                group.addTask {
                    var pending = wanted
                    for await measurement in player.measurements {
                        guard let identity = identities[measurement.source] else { continue }
                        try? await cache.save(
                            TrackLoudnessRecord(
                                id: identity, integratedLUFS: measurement.loudness.integratedLUFS,
                                truePeakDBTP: measurement.loudness.truePeakDBTP))
                        pending.remove(measurement.source)
                        if pending.isEmpty { return }
                    }
                }
                // A track that failed is never measured: stop waiting shortly after the stream ends.
                group.addTask {
                    while player.isActive { try? await Task.sleep(for: .milliseconds(20)) }
                    try? await Task.sleep(for: .milliseconds(500))
                }
                await group.next()
                group.cancelAll()
            }
        }
    }
}
