import Foundation
import Resolver
import Store

/// The resolver's cache kept in the SQLite store, so a resolution survives a restart of the
/// bot or the CLI and a repeated request skips yt-dlp until a minute before its URL expires.
///
/// A row is served until `expiresAt − 60 s` (`ResolvedTrackRepository.safetyMargin`). A
/// resolution without a known expiry is kept for `defaultLifetime`. A database that fails to
/// read or write is a cache miss, never a failed track: the resolver simply asks yt-dlp.
package struct StoredResolutionCache: ResolutionCache {
    /// How long a resolution whose URL carries no expiry is kept.
    package static let defaultLifetime: TimeInterval = 6 * 3600

    package let repository: ResolvedTrackRepository

    package init(database: AppDatabase) {
        repository = ResolvedTrackRepository(database: database)
    }

    package func cached(_ input: String, now: Date) async -> Resolver.ResolvedTrack? {
        guard let row = try? await repository.cached(for: input, now: now) else { return nil }
        return row.resolution(input: input)
    }

    package func store(_ track: Resolver.ResolvedTrack) async {
        _ = try? await repository.store(ResolvedTrackRecord(resolution: track, now: Date()))
    }
}

extension ResolvedTrackRecord {
    /// The row for one resolution of `track.input`.
    init(resolution track: Resolver.ResolvedTrack, now: Date) {
        self.init(
            query: track.input, title: track.title, uploader: track.uploader, streamURL: track.streamURL,
            webpageURL: track.webpageURL, thumbnailURL: track.thumbnail, httpHeaders: track.httpHeaders,
            durationSeconds: track.durationSeconds, isLive: track.isLive,
            expiresAt: track.expiresAt ?? now.addingTimeInterval(StoredResolutionCache.defaultLifetime),
            createdAt: now)
    }

    /// The resolver's view of this row.
    func resolution(input: String) -> Resolver.ResolvedTrack {
        Resolver.ResolvedTrack(
            input: input, streamURL: streamURL, httpHeaders: httpHeaders, title: title ?? "",
            uploader: uploader, durationSeconds: durationSeconds, webpageURL: webpageURL,
            thumbnail: thumbnailURL, isLive: isLive, expiresAt: expiresAt)
    }
}
