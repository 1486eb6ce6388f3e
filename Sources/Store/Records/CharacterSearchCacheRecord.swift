import Foundation
import GRDB

/// One cached API answer: the original design's `CharacterSearchCacheRecord` row (UUID id, unique
/// `query`, indexed `expiresAt`, `createdAt`) grown into a generic cache entry.
///
/// `query` is the normalised cache key (`list`, `detail:4737`, `search:oguri cap`…), never raw
/// user text, so differently-cased or spaced queries share one row. `createdAt` is when the key
/// was first cached and is kept on overwrite; `fetchedAt` is when upstream last confirmed the data.
/// Only successes and "not found" are ever stored, never failures.
public struct CharacterSearchCacheRecord: Codable, Sendable, Equatable, Identifiable {
    /// Whether the row holds data or records that upstream had nothing for this key.
    package enum Status: String, Codable, Sendable {
        case ok
        case notFound
    }

    public var id: UUID
    package var query: String
    package var kind: CacheKind
    package var status: Status
    /// The body (upstream JSON, or our own JSON for composed search results).
    package var data: String
    package var etag: String?
    package var lastModified: String?
    package var expiresAt: Date
    package var fetchedAt: Date
    package var createdAt: Date

    package init(
        id: UUID = UUID(), query: String, kind: CacheKind, status: Status, data: String,
        etag: String? = nil, lastModified: String? = nil, expiresAt: Date, fetchedAt: Date, createdAt: Date
    ) {
        self.id = id
        self.query = query
        self.kind = kind
        self.status = status
        self.data = data
        self.etag = etag
        self.lastModified = lastModified
        self.expiresAt = expiresAt
        self.fetchedAt = fetchedAt
        self.createdAt = createdAt
    }

    /// True while the row may be served without asking upstream.
    package func isFresh(at now: Date) -> Bool { expiresAt > now }
}

extension CharacterSearchCacheRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "characterSearchCache"

    public static func databaseUUIDEncodingStrategy(for column: String) -> DatabaseUUIDEncodingStrategy {
        .lowercaseString
    }

    /// Typed column names for queries (derived from the coding keys, so they cannot drift).
    public enum Columns {
        public static let query = Column(CodingKeys.query)
        public static let kind = Column(CodingKeys.kind)
        public static let data = Column(CodingKeys.data)
        public static let expiresAt = Column(CodingKeys.expiresAt)
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}

extension DerivableRequest<CharacterSearchCacheRecord> {
    /// Rows still fresh at `date`.
    package func unexpired(at date: Date) -> Self {
        filter(CharacterSearchCacheRecord.Columns.expiresAt > date)
    }

    /// Rows that expired at or before `date`.
    package func expired(at date: Date) -> Self {
        filter(CharacterSearchCacheRecord.Columns.expiresAt <= date)
    }
}

/// The kinds of cached answer; each has its own time to live (see `CachePolicy`).
package enum CacheKind: String, Codable, Sendable, CaseIterable {
    case characterList
    case characterDetail
    case characterImages
    case characterSearch
}
