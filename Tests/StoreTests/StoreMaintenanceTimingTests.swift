import CadenceTestSupport
import Foundation
import Store
import Testing

/// The purge that keeps the file small: at start-up and on an hourly schedule.
@Suite("Store maintenance")
struct StoreMaintenanceTimingTests {
    /// Rows of every kind, some due for deletion: cache rows expired 8 days ago (past the
    /// 7-day stale window), 1 hour ago (inside it) and fresh; metrics 31 and 1 day old;
    /// a resolved track expired and one fresh.
    static func seed(_ database: AppDatabase, now: Date) throws {
        let cache = CharacterSearchCacheRepository(database: database)
        for (key, offset) in [("long-expired", -8 * 86_400.0), ("just-expired", -3600), ("fresh", 3600)] {
            try cache.save(
                CharacterSearchCacheRecord(
                    query: key, kind: .characterList, status: .ok, data: "[]",
                    expiresAt: now.addingTimeInterval(offset), fetchedAt: now, createdAt: now))
        }
        let metrics = PipelineMetricRepository(database: database)
        for days in [31.0, 1] {
            try metrics.insert(
                PipelineMetricRecord(
                    framesSent: 100, framesNulled: 0, framesDeficit: 0, recoveries: 0, pacingP99Ms: 20.1,
                    durationMs: 2000, createdAt: now.addingTimeInterval(-days * 86_400)))
        }
        let tracks = ResolvedTrackRepository(database: database)
        try tracks.store(ResolvedTrackRecord(query: "old", streamURL: "u", expiresAt: now.addingTimeInterval(-1)))
        try tracks.store(ResolvedTrackRecord(query: "new", streamURL: "u", expiresAt: now.addingTimeInterval(3600)))
    }

    @Test("the automatic purge keeps expired rows inside the stale window; `db purge` removes them too")
    func purgeKeepsStaleWindow() async throws {
        let directory = try Tools.temporaryDirectory("store-purge")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase(path: directory.appendingPathComponent("c.sqlite").path)
        let now = Date()
        try Self.seed(database, now: now)
        let maintenance = StoreMaintenance(database: database)

        let report = try await maintenance.purge(now: now)
        #expect(report == StoreMaintenance.Report(cacheRows: 1, evictedRows: 0, resolvedTracks: 1, metrics: 1))
        let cache = CharacterSearchCacheRepository(database: database)
        #expect(try await cache.entry(for: "just-expired") != nil)

        let manual = try await maintenance.purge(now: now, keepStale: false)
        #expect(manual.cacheRows == 1)
        #expect(try await cache.entry(for: "just-expired") == nil)
        #expect(try await cache.entry(for: "fresh") != nil)
        #expect(try PipelineMetricRepository(database: database).count() == 1)
        #expect(try ResolvedTrackRepository(database: database).count() == 1)
    }

    @Test("the hourly schedule purges only when its clock has advanced an hour")
    func hourlySchedule() async throws {
        let directory = try Tools.temporaryDirectory("store-hourly")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase(path: directory.appendingPathComponent("c.sqlite").path)
        let clock = ManualClock()
        let wall = WallTime(clock, origin: Date(timeIntervalSince1970: 1_750_000_000))
        try Self.seed(database, now: wall.now)
        let (reports, continuation) = AsyncStream.makeStream(of: StoreMaintenance.Report.self)
        let schedule = Task {
            await StoreMaintenance(database: database).runSchedule(clock: clock, wallTime: wall) { result in
                if case let .success(report) = result { continuation.yield(report) }
            }
        }
        defer { schedule.cancel() }

        #expect(await clock.waitForSleeper())
        clock.advance(by: .seconds(3599))
        try await Task.sleep(for: .milliseconds(50))
        #expect(try PipelineMetricRepository(database: database).count() == 2, "nothing purged before the hour")

        clock.advance(by: .seconds(1))
        var iterator = reports.makeAsyncIterator()
        let first = await iterator.next()
        // An hour on, the track that was valid for an hour has expired too.
        #expect(first == StoreMaintenance.Report(cacheRows: 1, evictedRows: 0, resolvedTracks: 2, metrics: 1))

        // Eight days pass (the calendar date moves with the same clock); the run that wakes
        // then removes what has aged out since.
        #expect(await clock.waitForSleeper())
        clock.advance(by: .seconds(8 * 86_400))
        let second = await iterator.next()
        #expect(second?.cacheRows == 2, "the rows that were inside the window and the one that was fresh")
        #expect(second?.resolvedTracks == 0)
    }
}
