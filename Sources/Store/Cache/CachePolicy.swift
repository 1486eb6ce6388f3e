import Foundation

/// How long each kind of answer is kept, and the limits of the cache as a whole.
///
/// Defaults follow the API notes: list, detail and search results 24 h, images 7 days,
/// "not found" 10 minutes, expired rows kept 7 days for stale-if-error, at most 10 000 rows.
public struct CachePolicy: Sendable, Equatable {
    package var ttl: [CacheKind: TimeInterval]
    /// Time to live of a "not found" answer (negative caching).
    package var negativeTTL: TimeInterval
    /// How long after expiry a row may still be served, marked stale, when upstream fails.
    /// The automatic purge keeps rows this long for that reason.
    package var staleWindow: TimeInterval
    /// Row cap; writes beyond it evict the rows that expired first.
    package var maxRows: Int

    package init(
        ttl: [CacheKind: TimeInterval] = CachePolicy.defaultTTL, negativeTTL: TimeInterval = 600,
        staleWindow: TimeInterval = 7 * 24 * 3600, maxRows: Int = 10_000
    ) {
        self.ttl = ttl
        self.negativeTTL = negativeTTL
        self.staleWindow = staleWindow
        self.maxRows = maxRows
    }

    public static let standard = CachePolicy()

    package static let defaultTTL: [CacheKind: TimeInterval] = [
        .characterList: 24 * 3600,
        .characterDetail: 24 * 3600,
        .characterImages: 7 * 24 * 3600,
        .characterSearch: 24 * 3600
    ]

    /// The time to live for `kind`; 24 h for a kind the table leaves out.
    package func ttl(for kind: CacheKind) -> TimeInterval {
        ttl[kind] ?? 24 * 3600
    }
}
