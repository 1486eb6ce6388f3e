import Foundation
import Histogram
import Store

/// The store's two budgets: a cache hit answered from SQLite (p99 < 100 µs) and 10 000
/// track-end metric rows written through `MetricsWriter` (< 1 s, record to commit).
///
/// Cache hits go through `APICache.cached`, the path every repeated `/uma` lookup takes; the
/// whole-record read (`CharacterSearchCacheRepository.entry`, a transaction and a full
/// Codable decode) is measured beside it for comparison. Returns (name, value) rows.
func runStoreBenchmark() async throws -> [(String, String)] {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-storebench-\(UUID().uuidString.prefix(8))")
    defer { try? FileManager.default.removeItem(at: directory) }
    let database = try AppDatabase(path: directory.appendingPathComponent("bench.sqlite").path)

    // A realistic table: 1000 rows of ~3 KB (a character detail is 2–4 KB).
    let repository = CharacterSearchCacheRepository(database: database)
    let body = "{\"profile\":\"" + String(repeating: "x", count: 3000) + "\"}"
    let keys = (0..<1000).map { "search:character \($0)" }
    for key in keys { try repository.cacheCharacterSearch(query: key, data: body, ttl: 86_400) }
    let cache = APICache(database: database)

    let lookups = 20_000
    var asyncHits = Histogram<UInt64>(highestTrackableValue: 1_000_000_000, numberOfSignificantValueDigits: .three)
    var syncHits = Histogram<UInt64>(highestTrackableValue: 1_000_000_000, numberOfSignificantValueDigits: .three)
    let clock = ContinuousClock()
    for index in 0..<(lookups + 1000) {
        let key = keys[(index &* 7919) % keys.count]
        let started = clock.now
        guard try cache.cached(key) != nil else { throw StoreError.corruptRow(key: key, reason: "missing in bench") }
        let elapsed = clock.now - started
        if index >= 1000 { asyncHits.record(nanoseconds(elapsed)) }  // the first 1000 warm the page cache
    }
    for index in 0..<(lookups + 1000) {
        let key = keys[(index &* 7919) % keys.count]
        let started = clock.now
        guard try repository.entry(for: key, in: nil) != nil else { throw StoreError.corruptRow(key: key, reason: "missing in bench") }
        let elapsed = clock.now - started
        if index >= 1000 { syncHits.record(nanoseconds(elapsed)) }
    }

    let writer = MetricsWriter(database: database, batchSize: 512, flushInterval: .seconds(3600))
    let metrics = (0..<10_000).map { index in
        PipelineMetricRecord(
            guildID: "bench", trackTitle: "track \(index)", framesSent: 9000 + index, framesNulled: index % 7,
            framesDeficit: index % 3, recoveries: index % 2, pacingP99Ms: 20.3, durationMs: 180_000)
    }
    let writeStarted = clock.now
    for metric in metrics { writer.record(metric) }
    let recordDone = clock.now
    await writer.flush()
    let writeElapsed = clock.now - writeStarted
    await writer.close()
    let written = try PipelineMetricRepository(database: database).count()

    func micros(_ histogram: Histogram<UInt64>, _ percentile: Double) -> String {
        String(format: "%.1f µs", Double(histogram.valueAtPercentile(percentile)) / 1000)
    }
    return [
        ("store cache hit (APICache.cached) p50", micros(asyncHits, 50)),
        ("store cache hit (APICache.cached) p99", micros(asyncHits, 99)),
        ("store cache hit (full record read) p50", micros(syncHits, 50)),
        ("store cache hit (full record read) p99", micros(syncHits, 99)),
        ("store 10k metric rows: record() total", String(format: "%.2f ms", milliseconds(recordDone - writeStarted))),
        ("store 10k metric rows: record → committed", String(format: "%.1f ms (%d rows)", milliseconds(writeElapsed), written))
    ]
}

private func nanoseconds(_ duration: Duration) -> UInt64 {
    UInt64(max(0, duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000))
}

private func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
