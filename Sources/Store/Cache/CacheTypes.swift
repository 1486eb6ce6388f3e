import Foundation

/// Validators from an earlier answer, sent back as `If-None-Match` / `If-Modified-Since`.
package struct Validators: Sendable, Equatable {
    package var etag: String?
    package var lastModified: String?

    package init(etag: String? = nil, lastModified: String? = nil) {
        self.etag = etag
        self.lastModified = lastModified
    }

    package var isEmpty: Bool { etag == nil && lastModified == nil }
}

/// What a loader learned from upstream. Failures are thrown, never returned, so they can't be cached.
package enum UpstreamAnswer: Sendable, Equatable {
    /// A new body, stored for the kind's TTL.
    case fresh(body: String, validators: Validators)
    /// Upstream confirmed the cached body (HTTP 304): the row's expiry moves forward.
    case notModified(validators: Validators)
    /// Upstream has nothing for this key: stored for the negative TTL. The body may carry hints.
    case notFound(body: String)
    /// An answer built from stale parts: returned marked stale and not stored, so it can't
    /// pass for fresh data later.
    case degraded(status: CharacterSearchCacheRecord.Status, body: String)
}

/// Where a returned value came from.
public enum Freshness: String, Sendable, Codable {
    /// Fetched from upstream just now.
    case fetched
    /// Upstream confirmed the cached copy (304).
    case revalidated
    /// Served from a fresh cache row, without asking upstream.
    case cached
    /// Served from an expired row (or built from one) because upstream failed.
    case stale
}

/// A cache answer: the body (or "not found"), and where it came from.
public struct CacheResult: Sendable, Equatable {
    package var status: CharacterSearchCacheRecord.Status
    package var body: String
    package var freshness: Freshness
    /// When upstream last confirmed this body.
    package var fetchedAt: Date
}
