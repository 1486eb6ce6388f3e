import CadenceBot
import CadenceTestSupport
import Foundation
import Store
import Synchronization
import Testing

/// The running bot purges its store once per hour of its maintenance clock: a metric row past
/// its 30-day retention is gone after the hour, and nothing runs before it.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotStoreMaintenanceTests {
    @Test func theServicePurgesTheStoreEveryHourOfItsClock() async throws {
        let clock = ManualClock()
        let wallNow = Date()
        let (runs, continuation) = AsyncStream.makeStream(of: Result<StoreMaintenance.Report, StoreError>.self)
        let schedule = MaintenanceSchedule(clock: clock, wallTime: WallTime(clock, origin: wallNow)) { continuation.yield($0) }
        let harness = try await BotHarness.start(toneSeconds: 1, maintenance: schedule)
        defer { Task { await harness.shutdown() } }

        let database = try AppDatabase(path: harness.configuration.databasePath)
        let metrics = PipelineMetricRepository(database: database)
        for days in [31.0, 1] {
            try metrics.insert(
                PipelineMetricRecord(
                    framesSent: 50, framesNulled: 0, framesDeficit: 0, recoveries: 0, pacingP99Ms: 20,
                    durationMs: 1000, createdAt: wallNow.addingTimeInterval(-days * 86_400)))
        }
        #expect(await clock.waitForSleeper(), "the service never started its maintenance schedule")

        clock.advance(by: .seconds(3599))
        try await Task.sleep(for: .milliseconds(200))
        #expect(try metrics.count() == 2, "purged before the hour was up")

        clock.advance(by: .seconds(1))
        var iterator = runs.makeAsyncIterator()
        let first = try #require(await iterator.next())
        #expect(try first.get().metrics == 1, "the 31-day-old metric row should be the one removed")
        #expect(try metrics.count() == 1)

        #expect(await clock.waitForSleeper(), "the schedule stopped after one run")
        clock.advance(by: .seconds(3600))
        let second = try #require(await iterator.next())
        #expect(try second.get().metrics == 0, "the second hour finds nothing new to purge")
    }
}
