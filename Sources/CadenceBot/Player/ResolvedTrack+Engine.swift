import AudioEngine
import Resolver

extension ResolvedTrack {
    /// The engine's view of this track: the stream URL with its headers and, when the store
    /// has it, its measured loudness; refreshed through `resolver` when it expires mid-song.
    func trackSource(refreshingWith resolver: TrackResolver, loudness: TrackLoudness? = nil) -> TrackSource {
        let input = input
        return TrackSource(
            location: streamURL, httpHeaders: httpHeaders, isLive: isLive,
            refresh: {
                let fresh = try await resolver.resolve(input, fresh: false)
                return TrackSource(location: fresh.streamURL, httpHeaders: fresh.httpHeaders, isLive: fresh.isLive, loudness: loudness)
            }, loudness: loudness)
    }

    var durationMs: Int64? { durationSeconds.map { Int64($0 * 1000) } }

    /// What the track's loudness is kept under: the page it came from, which outlives the
    /// stream URL (those expire within hours and carry per-request tokens).
    var loudnessIdentity: String { webpageURL ?? input }
}
