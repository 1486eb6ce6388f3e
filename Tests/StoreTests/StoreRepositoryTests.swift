import CadenceTestSupport
import Foundation
import GRDB
import Store
import Testing

/// The database file, its schema and the thin repositories, as the rest of the bot uses them.
@Suite("Store repositories")
struct StoreRepositoryTests {
    let directory: URL
    let database: AppDatabase
    let now = Date(timeIntervalSince1970: 1_750_000_000)

    init() throws {
        directory = try Tools.temporaryDirectory("store-repo")
        database = try AppDatabase(path: directory.appendingPathComponent("nested/dir/cadence.sqlite").path)
    }

    @Test("the database opens in WAL mode with every migration applied under its fixed id")
    func schema() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let (mode, applied, tables) = try database.writer.read { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            )
        }
        #expect(mode == "wal")
        #expect(
            applied == [
                "2025-01-v1-characterSearchCache", "2025-01-v1-pipelineMetric", "2025-01-v1-resolvedTrack",
                "2026-12-guildSettings", "2026-12-lavalinkSession", "2026-12-trackLoudness"
            ])
        #expect(Set(tables).isSuperset(of: ["characterSearchCache", "pipelineMetric", "resolvedTrack", "guildSettings"]))
        // Reopening an up-to-date file is a no-op.
        _ = try AppDatabase(path: database.path)
    }

    @Test("the default path: CADENCE_DB, then XDG_DATA_HOME, then ~/.local/share")
    func defaultPath() {
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(AppDatabase.defaultPath(environment: ["CADENCE_DB": "/x/y.sqlite", "XDG_DATA_HOME": "/d"]) == "/x/y.sqlite")
        #expect(AppDatabase.defaultPath(environment: ["XDG_DATA_HOME": "/d", "HOME": "/h"]) == "/d/cadence/cadence.sqlite")
        #expect(
            AppDatabase.defaultPath(environment: ["XDG_DATA_HOME": "relative", "HOME": "/h"])
                == "/h/.local/share/cadence/cadence.sqlite")
        #expect(AppDatabase.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/cadence/cadence.sqlite")
    }

    @Test("caching a query again replaces data and expiry but keeps id and createdAt")
    func upsertKeepsIdentity() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = CharacterSearchCacheRepository(database: database)
        let first = try repository.cacheCharacterSearch(query: "oguri cap", data: "{\"v\":1}", ttl: 60, now: now)
        let later = now.addingTimeInterval(30)
        let second = try repository.cacheCharacterSearch(query: "oguri cap", data: "{\"v\":2}", ttl: 60, now: later)
        #expect(second.id == first.id)
        #expect(second.createdAt == first.createdAt)
        #expect(second.data == "{\"v\":2}")
        #expect(second.fetchedAt == later)
        #expect(second.expiresAt == later.addingTimeInterval(60))
        #expect(try repository.stats(at: now).total == 1)
    }

    @Test("the hot-path read answers only while the row is fresh, with its status and fetch time")
    func freshEntry() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = CharacterSearchCacheRepository(database: database)
        try repository.save(
            CharacterSearchCacheRecord(
                query: "detail:1", kind: .characterDetail, status: .notFound, data: "{}",
                expiresAt: now.addingTimeInterval(600), fetchedAt: now, createdAt: now))
        let hit = try #require(try repository.freshEntry(for: "detail:1", at: now.addingTimeInterval(599)))
        #expect(hit.status == .notFound)
        #expect(hit.body == "{}")
        #expect(hit.freshness == .cached)
        #expect(hit.fetchedAt == now)
        #expect(try repository.freshEntry(for: "detail:1", at: now.addingTimeInterval(600)) == nil)
        #expect(try repository.freshEntry(for: "detail:2", at: now) == nil)
    }

    @Test("a TTL of zero or less is refused with the parameter named")
    func rejectsBadTTL() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = CharacterSearchCacheRepository(database: database)
        #expect(throws: StoreError.invalidArgument(name: "ttl", reason: "must be positive, got 0.0")) {
            try repository.cacheCharacterSearch(query: "x", data: "{}", ttl: 0)
        }
    }

    @Test("writes share the caller's transaction: a failure later in it rolls all of them back")
    func optionalTransaction() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = CharacterSearchCacheRepository(database: database)
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try database.writer.write { db in
                try repository.cacheCharacterSearch(query: "a", data: "{}", ttl: 60, now: now, in: db)
                try repository.cacheCharacterSearch(query: "b", data: "{}", ttl: 60, now: now, in: db)
                throw Abort()
            }
        }
        #expect(try repository.stats(at: now).total == 0)
    }

    @Test("the row cap evicts the oldest expired rows first")
    func rowCap() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = CharacterSearchCacheRepository(database: database)
        for (key, offset) in [("expired-old", -300.0), ("expired-mid", -200), ("expired-new", -100), ("fresh-a", 100), ("fresh-b", 200)] {
            try repository.save(
                CharacterSearchCacheRecord(
                    query: key, kind: .characterDetail, status: .ok, data: "{}",
                    expiresAt: now.addingTimeInterval(offset), fetchedAt: now, createdAt: now))
        }
        #expect(try repository.enforceCap(maxRows: 3, now: now) == 2)
        #expect(try repository.entry(for: "expired-old") == nil)
        #expect(try repository.entry(for: "expired-mid") == nil)
        #expect(try repository.entry(for: "expired-new") != nil)
        #expect(try repository.entry(for: "fresh-a") != nil)
        #expect(try repository.entry(for: "fresh-b") != nil)
        let stats = try repository.stats(at: now)
        #expect(stats.total == 3)
        #expect(stats.active == 2)
        #expect(stats.expired == 1)
        #expect(stats.bytes == 6)
    }

    @Test("a resolved track is served until 60 s before its URL expires")
    func resolvedTrackMargin() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let repository = ResolvedTrackRepository(database: database)
        let track = ResolvedTrackRecord(
            query: "https://example.invalid/watch?v=1", title: "Song", streamURL: "https://cdn.invalid/a",
            httpHeaders: ["User-Agent": "x"], durationSeconds: 215, expiresAt: now.addingTimeInterval(100), createdAt: now)
        try repository.store(track)
        #expect(try repository.cached(for: track.query, now: now) == track)
        #expect(try repository.cached(for: track.query, now: now.addingTimeInterval(39)) != nil)
        #expect(try repository.cached(for: track.query, now: now.addingTimeInterval(41)) == nil)
        #expect(try repository.cached(for: "other", now: now) == nil)
        var renewed = track
        renewed.id = UUID()
        renewed.streamURL = "https://cdn.invalid/b"
        renewed.expiresAt = now.addingTimeInterval(3600)
        try repository.store(renewed)
        #expect(try repository.cached(for: track.query, now: now.addingTimeInterval(41))?.streamURL == "https://cdn.invalid/b")
        #expect(try repository.count() == 1)
    }
}
