import AudioEngine
import Resolver

/// Turns what a user typed into a playable source, with a way to warm up the next one.
///
/// Two implementations: Resolver's `TrackResolver` (yt-dlp, policy checks, cache) and the
/// fixed table the unit tests use.
package protocol TrackLookup: Sendable {
    func resolve(_ input: String) async throws(ResolverError) -> ResolvedTrack
    /// Starts resolving `input` in the background so it is cached when its turn comes.
    func prefetch(_ input: String)
}

extension TrackResolver: TrackLookup {
    package func resolve(_ input: String) async throws(ResolverError) -> ResolvedTrack {
        try await resolve(input, fresh: false)
    }
}

extension ResolvedTrack {
    /// The engine's view of this track: the stream URL with its headers, refreshed through
    /// `lookup` when it expires mid-song.
    func trackSource(refreshingWith lookup: any TrackLookup) -> TrackSource {
        let input = input
        return TrackSource(location: streamURL, httpHeaders: httpHeaders, isLive: isLive) {
            let fresh = try await lookup.resolve(input)
            return TrackSource(location: fresh.streamURL, httpHeaders: fresh.httpHeaders, isLive: fresh.isLive)
        }
    }

    var durationMs: Int64? { durationSeconds.map { Int64($0 * 1000) } }
}
