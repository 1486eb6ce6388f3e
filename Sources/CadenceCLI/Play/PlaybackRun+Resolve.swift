import AudioEngine
import Foundation
import ResolutionStore
import Resolver
import Store

extension PlaybackRun {
    /// The resolver `cadence play --resolve` uses: resolutions are kept in the database when
    /// one is configured (so a second run skips yt-dlp), else in memory for this run.
    static func makeResolver(database: AppDatabase?, allowPrivateNetwork: Bool) -> TrackResolver {
        var policy = SourcePolicy.fromEnvironment()
        if allowPrivateNetwork { policy.allowPrivateNetwork = true }
        let cache: any ResolutionCache = database.map { StoredResolutionCache(database: $0) } ?? MemoryResolutionCache()
        return TrackResolver(policy: policy, cache: cache)
    }

    /// What the player opens for `input`: the resolved stream, with a refresh that asks
    /// yt-dlp afresh when the URL expires mid-track.
    /// `identity`: what its measured loudness is kept under (the page, which outlives the
    /// expiring stream URL).
    static func trackSource(for input: String, resolver: TrackResolver) async throws(ResolverError)
        -> (source: TrackSource, identity: String)
    {
        let track = try await resolver.resolve(input)
        return (TrackSource(resolved: track, resolver: resolver), track.webpageURL ?? input)
    }
}

extension TrackSource {
    init(resolved track: Resolver.ResolvedTrack, resolver: TrackResolver) {
        let input = track.input
        let policy = resolver.policy
        // libav follows redirects itself: where they end must pass the same policy.
        self.init(
            location: track.streamURL, httpHeaders: track.httpHeaders, isLive: track.isLive,
            refresh: {
                let fresh = try await resolver.resolve(input, fresh: true)
                return TrackSource(resolved: fresh, resolver: resolver)
            },
            allowsLocation: { (try? policy.check(url: $0)) != nil })
    }
}
