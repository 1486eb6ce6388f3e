import Foundation
import GRDB

/// Writes and prunes pipeline metrics. Writes take an optional transaction (`in db:`).
public struct PipelineMetricRepository: Sendable {
    /// How long metrics are kept.
    package static let retention: TimeInterval = 30 * 24 * 3600

    package let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    package func insert(_ metric: PipelineMetricRecord, in db: Database? = nil) throws(StoreError) {
        try database.write("insert metric", in: db) { db in try metric.insert(db) }
    }

    /// Inserts many rows in one transaction (one fsync for the batch, not one per row).
    package func insert(batch: [PipelineMetricRecord], in db: Database? = nil) throws(StoreError) {
        try database.write("insert metrics", in: db) { db in
            for metric in batch { try metric.insert(db) }
        }
    }

    package func insert(batch: [PipelineMetricRecord]) async throws(StoreError) {
        try await database.asyncWrite("insert metrics") { db in
            for metric in batch { try metric.insert(db) }
        }
    }

    /// Deletes rows older than the 30-day retention; returns how many.
    @discardableResult
    package func deleteExpired(now: Date, in db: Database? = nil) throws(StoreError) -> Int {
        try database.write("purge metrics", in: db) { db in
            try PipelineMetricRecord.filter(PipelineMetricRecord.Columns.createdAt < now.addingTimeInterval(-Self.retention)).deleteAll(db)
        }
    }

    @discardableResult
    package func deleteAll(in db: Database? = nil) throws(StoreError) -> Int {
        try database.write("clear metrics", in: db) { db in try PipelineMetricRecord.deleteAll(db) }
    }

    public func count(in db: Database? = nil) throws(StoreError) -> Int {
        try database.read("count metrics", in: db) { db in try PipelineMetricRecord.fetchCount(db) }
    }

    /// The newest rows first.
    package func recent(limit: Int, in db: Database? = nil) throws(StoreError) -> [PipelineMetricRecord] {
        try database.read("read metrics", in: db) { db in
            try PipelineMetricRecord.order(PipelineMetricRecord.Columns.createdAt.desc).limit(limit).fetchAll(db)
        }
    }

    /// Whether a row with this id exists (used by the crash-safety check).
    package func ids(in db: Database? = nil) throws(StoreError) -> Set<String> {
        try database.read("read metric ids", in: db) { db in
            Set(try String.fetchAll(db, sql: "SELECT id FROM pipelineMetric"))
        }
    }
}
