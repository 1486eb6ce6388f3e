import GRDB

extension AppDatabase {
    /// The schema history. Ids are fixed strings and a shipped migration is never edited:
    /// changes go into a new migration appended at the end.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("2025-01-v1-characterSearchCache") { db in
            try db.create(table: "characterSearchCache") { t in
                t.primaryKey("id", .text)
                t.column("query", .text).notNull().unique()
                t.column("kind", .text).notNull().indexed()
                t.column("status", .text).notNull()
                t.column("data", .text).notNull()
                t.column("etag", .text)
                t.column("lastModified", .text)
                t.column("expiresAt", .datetime).notNull().indexed()
                t.column("fetchedAt", .datetime).notNull()
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("2025-01-v1-resolvedTrack") { db in
            try db.create(table: "resolvedTrack") { t in
                t.primaryKey("id", .text)
                t.column("query", .text).notNull().unique()
                t.column("title", .text)
                t.column("uploader", .text)
                t.column("streamURL", .text).notNull()
                t.column("webpageURL", .text)
                t.column("thumbnailURL", .text)
                t.column("httpHeaders", .text).notNull()
                t.column("durationSeconds", .double)
                t.column("isLive", .boolean).notNull()
                t.column("expiresAt", .datetime).notNull().indexed()
                t.column("createdAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("2025-01-v1-pipelineMetric") { db in
            try db.create(table: "pipelineMetric") { t in
                t.primaryKey("id", .text)
                t.column("guildID", .text)
                t.column("trackTitle", .text)
                t.column("framesSent", .integer).notNull()
                t.column("framesNulled", .integer).notNull()
                t.column("framesDeficit", .integer).notNull()
                t.column("recoveries", .integer).notNull()
                t.column("pacingP99Ms", .double).notNull()
                t.column("durationMs", .integer).notNull()
                t.column("createdAt", .datetime).notNull().indexed()
            }
        }
        migrator.registerMigration("2026-12-lavalinkSession") { db in
            try db.create(table: "lavalinkSession") { t in
                t.primaryKey("id", .text)
                t.column("userID", .text).notNull()
                t.column("clientName", .text).notNull()
                t.column("timeoutSeconds", .integer).notNull()
                t.column("players", .text).notNull()
                t.column("savedAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("2026-12-trackLoudness") { db in
            try db.create(table: "trackLoudness") { t in
                t.primaryKey("id", .text)
                t.column("integratedLUFS", .double).notNull()
                t.column("truePeakDBTP", .double).notNull()
                t.column("measuredAt", .datetime).notNull()
            }
        }
        migrator.registerMigration("2026-12-guildSettings") { db in
            try db.create(table: "guildSettings") { t in
                t.primaryKey("id", .text)
                t.column("crossfadeSeconds", .double).notNull()
                t.column("normalize", .boolean).notNull()
                t.column("updatedAt", .datetime).notNull()
            }
        }
        return migrator
    }
}
