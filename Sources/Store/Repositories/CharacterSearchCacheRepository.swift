import Foundation
import GRDB

/// Reads and writes cache rows. Every write takes an optional transaction (`in db:`); without
/// one it opens its own. The async forms run on GRDB's threads.
public struct CharacterSearchCacheRepository: Sendable {
    package let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// The row for a normalised key, fresh or not.
    public func entry(for key: String, in db: Database? = nil) throws(StoreError) -> CharacterSearchCacheRecord? {
        try database.read("read cache row", in: db) { db in
            try CharacterSearchCacheRecord.filter(CharacterSearchCacheRecord.Columns.query == key).fetchOne(db)
        }
    }

    package func entry(for key: String) async throws(StoreError) -> CharacterSearchCacheRecord? {
        try await database.asyncRead("read cache row") { db in
            try CharacterSearchCacheRecord.filter(CharacterSearchCacheRecord.Columns.query == key).fetchOne(db)
        }
    }

    /// The fresh answer for `key`, or nil: the cache-hit hot path. One indexed SELECT with a
    /// prepared statement kept by the connection, read outside a transaction (a single
    /// statement sees one consistent snapshot by itself, so BEGIN/COMMIT would only add cost),
    /// decoding just the columns a hit needs. Expiry is compared in Swift: binding a Date
    /// formats it through DateFormatter, which costs more than the whole SELECT.
    package func freshEntry(for key: String, at now: Date) throws(StoreError) -> CacheResult? {
        do {
            return try database.writer.unsafeRead { db in
                let statement = try db.cachedStatement(
                    sql: """
                        SELECT status, data, fetchedAt, expiresAt FROM characterSearchCache WHERE query = ?
                        """)
                guard let row = try Row.fetchOne(statement, arguments: [key]) else { return nil }
                let expiresAt: Date = row[3]
                guard expiresAt > now else { return nil }
                guard let status = CharacterSearchCacheRecord.Status(rawValue: row[0]) else {
                    throw StoreError.corruptRow(key: key, reason: "unknown status \(String(describing: row[0] as String?))")
                }
                return CacheResult(status: status, body: row[1], freshness: .cached, fetchedAt: row[2])
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw .database(operation: "read fresh cache row", reason: "\(error)")
        }
    }

    /// The original design's write: caches `data` under `query` for `ttl` seconds, replacing
    /// any previous row for that key. `query` must already be normalised.
    @discardableResult
    public func cacheCharacterSearch(
        query: String, data: String, ttl: TimeInterval, now: Date = Date(), in db: Database? = nil
    ) throws(StoreError) -> CharacterSearchCacheRecord {
        guard ttl > 0 else { throw .invalidArgument(name: "ttl", reason: "must be positive, got \(ttl)") }
        let row = CharacterSearchCacheRecord(
            query: query, kind: .characterSearch, status: .ok, data: data,
            expiresAt: now.addingTimeInterval(ttl), fetchedAt: now, createdAt: now)
        return try save(row, in: db)
    }

    /// Inserts the row, or overwrites the one with the same key while keeping its id and
    /// `createdAt` (first cached).
    @discardableResult
    package func save(_ row: CharacterSearchCacheRecord, in db: Database? = nil) throws(StoreError) -> CharacterSearchCacheRecord {
        try database.write("save cache row", in: db) { db in try Self.upsert(row, db) }
    }

    /// `save`, then the row cap: one transaction, so the table never stays above `maxRows`.
    @discardableResult
    package func save(_ row: CharacterSearchCacheRecord, cappingAt maxRows: Int, now: Date) async throws(StoreError)
        -> CharacterSearchCacheRecord
    {
        try await database.asyncWrite("save cache row") { db in
            let saved = try Self.upsert(row, db)
            _ = try Self.evict(db, maxRows: maxRows, now: now)
            return saved
        }
    }

    /// Moves a row's expiry forward after upstream confirmed it (a 304), updating validators.
    package func renew(
        key: String, expiresAt: Date, fetchedAt: Date, etag: String?, lastModified: String?, in db: Database? = nil
    ) throws(StoreError) {
        try database.write("renew cache row", in: db) { db in
            try Self.renew(db, key: key, expiresAt: expiresAt, fetchedAt: fetchedAt, etag: etag, lastModified: lastModified)
        }
    }

    package func renew(key: String, expiresAt: Date, fetchedAt: Date, etag: String?, lastModified: String?)
        async throws(StoreError)
    {
        try await database.asyncWrite("renew cache row") { db in
            try Self.renew(db, key: key, expiresAt: expiresAt, fetchedAt: fetchedAt, etag: etag, lastModified: lastModified)
        }
    }

    /// Deletes rows that expired before `date`; returns how many.
    @discardableResult
    package func deleteExpired(before date: Date, in db: Database? = nil) throws(StoreError) -> Int {
        try database.write("purge cache", in: db) { db in
            try CharacterSearchCacheRecord.filter(CharacterSearchCacheRecord.Columns.expiresAt < date).deleteAll(db)
        }
    }

    /// Brings the table down to `maxRows`, oldest expired rows first, then (only if every row
    /// is still fresh) the rows closest to expiry. Returns how many rows went.
    @discardableResult
    package func enforceCap(maxRows: Int, now: Date, in db: Database? = nil) throws(StoreError) -> Int {
        try database.write("evict cache rows", in: db) { db in try Self.evict(db, maxRows: maxRows, now: now) }
    }

    /// Deletes every cache row; returns how many.
    @discardableResult
    package func deleteAll(in db: Database? = nil) throws(StoreError) -> Int {
        try database.write("clear cache", in: db) { db in try CharacterSearchCacheRecord.deleteAll(db) }
    }

    /// Totals for `cadence db stats`.
    package func stats(at now: Date, in db: Database? = nil) throws(StoreError) -> CacheStats {
        try database.read("cache stats", in: db) { db in
            let total = try CharacterSearchCacheRecord.fetchCount(db)
            let active = try CharacterSearchCacheRecord.all().unexpired(at: now).fetchCount(db)
            let bytes = try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(LENGTH(CAST(data AS BLOB))), 0) FROM characterSearchCache") ?? 0
            var byKind: [CacheKind: Int] = [:]
            for kind in CacheKind.allCases {
                byKind[kind] = try CharacterSearchCacheRecord.filter(CharacterSearchCacheRecord.Columns.kind == kind.rawValue).fetchCount(
                    db)
            }
            return CacheStats(total: total, active: active, expired: total - active, bytes: bytes, byKind: byKind)
        }
    }

    static func upsert(_ row: CharacterSearchCacheRecord, _ db: Database) throws -> CharacterSearchCacheRecord {
        try row.upsertAndFetch(db, onConflict: ["query"]) { _ in
            [CharacterSearchCacheRecord.Columns.createdAt.noOverwrite]
        }
    }

    static func renew(
        _ db: Database, key: String, expiresAt: Date, fetchedAt: Date, etag: String?, lastModified: String?
    ) throws {
        guard var row = try CharacterSearchCacheRecord.filter(CharacterSearchCacheRecord.Columns.query == key).fetchOne(db) else {
            return
        }
        row.expiresAt = expiresAt
        row.fetchedAt = fetchedAt
        row.etag = etag ?? row.etag
        row.lastModified = lastModified ?? row.lastModified
        try row.update(db)
    }

    static func evict(_ db: Database, maxRows: Int, now _: Date) throws -> Int {
        let excess = try CharacterSearchCacheRecord.fetchCount(db) - maxRows
        guard excess > 0 else { return 0 }
        let doomed =
            try CharacterSearchCacheRecord
            .select(Column("id"), as: String.self)
            // Expired rows have the earliest expiry, so they go first by construction.
            .order(CharacterSearchCacheRecord.Columns.expiresAt)
            .limit(excess)
            .fetchAll(db)
        return try CharacterSearchCacheRecord.filter(doomed.contains(Column("id"))).deleteAll(db)
    }
}

/// Counts of cache rows at one moment: fresh (`active`), `expired`, and the stored body bytes.
package struct CacheStats: Sendable, Equatable, Codable {
    package var total: Int
    package var active: Int
    package var expired: Int
    package var bytes: Int
    package var byKind: [CacheKind: Int]
}
