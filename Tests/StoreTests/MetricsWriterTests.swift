import CadenceTestSupport
import Foundation
import Store
import Testing

/// Track-end metrics: recorded without waiting, written in batches.
@Suite("Metrics writer batching")
struct MetricsWriterTests {
    static func metric(_ index: Int) -> PipelineMetricRecord {
        PipelineMetricRecord(
            guildID: "g", trackTitle: "track \(index)", framesSent: 1000 + index, framesNulled: index % 3,
            framesDeficit: index % 2, recoveries: index % 5, pacingP99Ms: 20.4, durationMs: 20_000)
    }

    @Test("1000 recorded rows are all in the database after flush, field for field")
    func flushWritesEverything() async throws {
        let directory = try Tools.temporaryDirectory("metrics")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase(path: directory.appendingPathComponent("m.sqlite").path)
        let writer = MetricsWriter(database: database, batchSize: 256, flushInterval: .seconds(3600))
        let recorded = (0..<1000).map(Self.metric)
        for metric in recorded { writer.record(metric) }
        await writer.flush()

        let repository = PipelineMetricRepository(database: database)
        #expect(try repository.count() == 1000)
        #expect(writer.counts.written == 1000)
        #expect(writer.counts.dropped == 0)
        let stored = try repository.recent(limit: 1000)
        let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.id, $0) })
        for metric in recorded.prefix(20) {
            let row = try #require(byID[metric.id])
            #expect(row.framesSent == metric.framesSent)
            #expect(row.framesNulled == metric.framesNulled)
            #expect(row.recoveries == metric.recoveries)
            #expect(row.pacingP99Ms == metric.pacingP99Ms)
            #expect(abs(row.createdAt.timeIntervalSince(metric.createdAt)) < 0.002)
        }
        await writer.close()
    }

    @Test("a few rows below the batch size are written by the interval timer without a flush")
    func timerFlushes() async throws {
        let directory = try Tools.temporaryDirectory("metrics-timer")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase(path: directory.appendingPathComponent("m.sqlite").path)
        let writer = MetricsWriter(database: database, batchSize: 10_000, flushInterval: .milliseconds(100))
        for index in 0..<5 { writer.record(Self.metric(index)) }
        let repository = PipelineMetricRepository(database: database)
        var count = 0
        for _ in 0..<100 where count < 5 {
            try await Task.sleep(for: .milliseconds(20))
            count = try repository.count()
        }
        #expect(count == 5)
        await writer.close()
    }

    @Test("record returns without touching the database: 10 000 records take well under the time of one write")
    func recordIsCheap() async throws {
        let directory = try Tools.temporaryDirectory("metrics-cheap")
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase(path: directory.appendingPathComponent("m.sqlite").path)
        let writer = MetricsWriter(database: database, batchSize: 1_000_000, flushInterval: .seconds(3600))
        let metrics = (0..<10_000).map(Self.metric)
        let started = ContinuousClock.now
        for metric in metrics { writer.record(metric) }
        let elapsed = ContinuousClock.now - started
        #expect(try PipelineMetricRepository(database: database).count() == 0)
        #expect(elapsed < .milliseconds(200), "\(elapsed)")
        await writer.close()
        #expect(try PipelineMetricRepository(database: database).count() == 10_000)
    }
}
