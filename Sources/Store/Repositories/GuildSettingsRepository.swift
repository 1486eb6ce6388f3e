import Foundation
import GRDB

/// Keeps and looks up each guild's audio settings.
package struct GuildSettingsRepository: Sendable {
    package let database: AppDatabase

    package init(database: AppDatabase) {
        self.database = database
    }

    /// Inserts or replaces the guild's row.
    package func save(_ record: GuildSettingsRecord) async throws(StoreError) {
        try await database.asyncWrite("save guild settings") { db in try record.save(db) }
    }

    /// The settings kept for `guildID`, or nil when it never changed any.
    package func settings(of guildID: String) async throws(StoreError) -> GuildSettingsRecord? {
        try await database.asyncRead("read guild settings") { db in try GuildSettingsRecord.fetchOne(db, key: guildID) }
    }
}
