import Foundation
import Synchronization

/// Turns what a user typed (a URL or words) into a playable stream: policy check, cache,
/// then yt-dlp through the warm worker, falling back to a one-shot run.
package final class TrackResolver: Sendable {
    package let policy: SourcePolicy
    package let cache: any ResolutionCache
    package let worker: ResolverWorker?
    package let oneShot: OneShotResolver
    let counters = Mutex((ytdlpCalls: 0, cacheHits: 0))

    package init(
        policy: SourcePolicy = .fromEnvironment(), cache: any ResolutionCache = MemoryResolutionCache(),
        worker: ResolverWorker? = ResolverWorker(), oneShot: OneShotResolver = OneShotResolver()
    ) {
        self.policy = policy
        self.cache = cache
        self.worker = worker
        self.oneShot = oneShot
    }

    /// Resolutions that had to ask yt-dlp (worker or one-shot).
    package var ytdlpCalls: Int { counters.withLock { $0.ytdlpCalls } }
    /// Resolutions answered from the cache.
    package var cacheHits: Int { counters.withLock { $0.cacheHits } }

    /// Resolves one track. `fresh` skips the cache (used after the URL expired mid-song).
    package func resolve(_ input: String, fresh: Bool = false) async throws(ResolverError) -> ResolvedTrack {
        try policy.check(url: input)
        if !fresh, let hit = await cache.cached(input, now: Date()) {
            counters.withLock { $0.cacheHits += 1 }
            return hit
        }
        counters.withLock { $0.ytdlpCalls += 1 }
        var track: ResolvedTrack
        if let worker, let data = try? await worker.request(YTDLPRequest.track(input)) {
            track = try YTDLPOutput.track(from: data, input: input)
        } else {
            track = try await oneShot.resolve(input)
        }
        track.input = input
        try policy.check(url: track.streamURL)
        try policy.check(duration: track.durationSeconds, input: input)
        await cache.store(track)
        return track
    }

    /// Expands a playlist URL into entries, at most `limit` (default 100).
    package func playlist(_ input: String, limit: Int = 100) async throws(ResolverError) -> [PlaylistEntry] {
        try policy.check(url: input)
        counters.withLock { $0.ytdlpCalls += 1 }
        if let worker, let data = try? await worker.request(YTDLPRequest.playlist(input, limit: limit)) {
            return Array(try YTDLPOutput.playlist(from: data, input: input).prefix(limit))
        }
        return try await oneShot.playlist(input, limit: limit)
    }

    /// What a web page holds, for callers that take any page (Lavalink's `loadtracks`): a
    /// playlist (a feed, an album, a channel) with its name and at most `limit` entries, or one
    /// track, resolved. The page decides, not its URL's shape: one flat listing asks yt-dlp, and
    /// only a single-item page is then resolved in full.
    package func page(_ input: String, limit: Int = 100) async throws(ResolverError) -> PageContents {
        try policy.check(url: input)
        counters.withLock { $0.ytdlpCalls += 1 }
        let listing: (title: String?, entries: [PlaylistEntry]?)
        if let worker, let data = try? await worker.request(YTDLPRequest.playlist(input, limit: limit)) {
            listing = try YTDLPOutput.listing(from: data, input: input)
        } else {
            listing = try await oneShot.listing(input, limit: limit)
        }
        if let entries = listing.entries {
            return .playlist(name: listing.title ?? input, entries: Array(entries.prefix(limit)))
        }
        return .track(try await resolve(input))
    }

    /// Starts resolving the next queued input now, so it is cached when its turn comes.
    package func prefetch(_ input: String) {
        Task { _ = try? await resolve(input) }
    }
}
