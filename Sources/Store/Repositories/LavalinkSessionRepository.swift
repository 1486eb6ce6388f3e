import Foundation
import GRDB

/// Saves, lists and forgets `cadence node`'s resumable sessions.
public struct LavalinkSessionRepository: Sendable {
    public let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Inserts or replaces the session's row.
    public func save(_ record: LavalinkSessionRecord) async throws(StoreError) {
        try await database.asyncWrite("save node session") { db in try record.save(db) }
    }

    public func delete(id: String) async throws(StoreError) {
        _ = try await database.asyncWrite("delete node session") { db in try LavalinkSessionRecord.deleteOne(db, key: id) }
    }

    public func all() async throws(StoreError) -> [LavalinkSessionRecord] {
        try await database.asyncRead("read node sessions") { db in try LavalinkSessionRecord.fetchAll(db) }
    }
}
