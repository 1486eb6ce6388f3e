import Foundation
import GRDB
import Logging

/// Keeps the database small: deletes cache rows past the stale window, enforces the row cap,
/// drops expired resolved tracks and metrics past their 30-day retention.
///
/// Run `purge` at start-up, then `runSchedule` hourly. The schedule sleeps on the clock it is
/// given, so tests drive it with a manual clock.
public struct StoreMaintenance: Sendable {
    package let database: AppDatabase
    package let policy: CachePolicy

    package init(database: AppDatabase, policy: CachePolicy = .standard) {
        self.database = database
        self.policy = policy
    }

    /// What one purge removed.
    public struct Report: Sendable, Equatable {
        package var cacheRows = 0
        package var evictedRows = 0
        package var resolvedTracks = 0
        package var metrics = 0

        package init(cacheRows: Int = 0, evictedRows: Int = 0, resolvedTracks: Int = 0, metrics: Int = 0) {
            self.cacheRows = cacheRows
            self.evictedRows = evictedRows
            self.resolvedTracks = resolvedTracks
            self.metrics = metrics
        }
    }

    /// One purge, in one transaction. `keepStale: false` also deletes expired cache rows
    /// still inside the stale window (the `cadence db purge` behaviour).
    @discardableResult
    package func purge(now: Date, keepStale: Bool = true) throws(StoreError) -> Report {
        try database.write("purge", in: nil) { db in try purge(db, now: now, keepStale: keepStale) }
    }

    /// `purge` on GRDB's writer thread, for async callers.
    @discardableResult
    package func purge(now: Date, keepStale: Bool = true) async throws(StoreError) -> Report {
        try await database.asyncWrite("purge") { db in try purge(db, now: now, keepStale: keepStale) }
    }

    private func purge(_ db: Database, now: Date, keepStale: Bool) throws -> Report {
        let cutoff = keepStale ? now.addingTimeInterval(-policy.staleWindow) : now.addingTimeInterval(0.001)
        var report = Report()
        report.cacheRows = try CharacterSearchCacheRepository(database: database).deleteExpired(before: cutoff, in: db)
        report.evictedRows = try CharacterSearchCacheRepository(database: database)
            .enforceCap(maxRows: policy.maxRows, now: now, in: db)
        report.resolvedTracks = try ResolvedTrackRepository(database: database).deleteExpired(now: now, in: db)
        report.metrics = try PipelineMetricRepository(database: database).deleteExpired(now: now, in: db)
        return report
    }

    /// Purges every `interval` of `clock` until the task is cancelled, reporting each run.
    package func runSchedule(
        clock: any Clock<Duration> = ContinuousClock(), interval: Duration = .seconds(3600),
        wallTime: WallTime = .system,
        logger: Logger = Logger(label: "cadence.store.maintenance"),
        onPurge: @escaping @Sendable (Result<Report, StoreError>) -> Void = { _ in }
    ) async {
        while !Task.isCancelled {
            do {
                try await clock.sleep(for: interval)
            } catch {
                return
            }
            let result: Result<Report, StoreError>
            do {
                result = .success(try await purge(now: wallTime.now))
            } catch {
                logger.warning("hourly purge failed: \(error)")
                result = .failure(error)
            }
            onPurge(result)
        }
    }
}
