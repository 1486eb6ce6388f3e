import Foundation
import GRDB

/// Stores the resolver's results. A row is served until 60 s before its stream URL expires,
/// so a track never starts on a URL about to stop working.
package struct ResolvedTrackRepository: Sendable {
    /// How long before `expiresAt` a row stops being served.
    package static let safetyMargin: TimeInterval = 60

    package let database: AppDatabase

    package init(database: AppDatabase) {
        self.database = database
    }

    /// The stored resolution for `key`, or nil when there is none or it is within 60 s of expiry.
    package func cached(for key: String, now: Date = Date(), in db: Database? = nil) throws(StoreError) -> ResolvedTrackRecord? {
        try database.read("read resolved track", in: db) { db in
            try ResolvedTrackRecord
                .filter(ResolvedTrackRecord.Columns.query == key)
                .filter(ResolvedTrackRecord.Columns.expiresAt > now.addingTimeInterval(Self.safetyMargin))
                .fetchOne(db)
        }
    }

    package func cached(for key: String, now: Date = Date()) async throws(StoreError) -> ResolvedTrackRecord? {
        try await database.asyncRead("read resolved track") { db in
            try ResolvedTrackRecord
                .filter(ResolvedTrackRecord.Columns.query == key)
                .filter(ResolvedTrackRecord.Columns.expiresAt > now.addingTimeInterval(Self.safetyMargin))
                .fetchOne(db)
        }
    }

    /// Stores a resolution, replacing any earlier one for the same key.
    @discardableResult
    package func store(_ track: ResolvedTrackRecord, in db: Database? = nil) throws(StoreError) -> ResolvedTrackRecord {
        try database.write("store resolved track", in: db) { db in
            try track.upsertAndFetch(db, onConflict: ["query"])
        }
    }

    @discardableResult
    package func store(_ track: ResolvedTrackRecord) async throws(StoreError) -> ResolvedTrackRecord {
        try await database.asyncWrite("store resolved track") { db in
            try track.upsertAndFetch(db, onConflict: ["query"])
        }
    }

    /// Deletes rows whose URL has expired; returns how many.
    @discardableResult
    package func deleteExpired(now: Date, in db: Database? = nil) throws(StoreError) -> Int {
        try database.write("purge resolved tracks", in: db) { db in
            try ResolvedTrackRecord.filter(ResolvedTrackRecord.Columns.expiresAt <= now).deleteAll(db)
        }
    }

    @discardableResult
    package func deleteAll(in db: Database? = nil) throws(StoreError) -> Int {
        try database.write("clear resolved tracks", in: db) { db in try ResolvedTrackRecord.deleteAll(db) }
    }

    package func count(in db: Database? = nil) throws(StoreError) -> Int {
        try database.read("count resolved tracks", in: db) { db in try ResolvedTrackRecord.fetchCount(db) }
    }
}
