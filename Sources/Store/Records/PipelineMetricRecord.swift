import Foundation
import GRDB

/// The playback pipeline's figures for one finished track: frames sent, replaced by silence
/// (nulled) or missing (deficit), recoveries, and the pacer's 99th-percentile frame interval.
///
/// Rows are written in batches by `MetricsWriter` and kept for 30 days.
public struct PipelineMetricRecord: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var guildID: String?
    public var trackTitle: String?
    public var framesSent: Int
    public var framesNulled: Int
    public var framesDeficit: Int
    public var recoveries: Int
    public var pacingP99Ms: Double
    public var durationMs: Int
    public var createdAt: Date

    public init(
        id: UUID = UUID(), guildID: String? = nil, trackTitle: String? = nil, framesSent: Int, framesNulled: Int,
        framesDeficit: Int, recoveries: Int, pacingP99Ms: Double, durationMs: Int, createdAt: Date = Date()
    ) {
        self.id = id
        self.guildID = guildID
        self.trackTitle = trackTitle
        self.framesSent = framesSent
        self.framesNulled = framesNulled
        self.framesDeficit = framesDeficit
        self.recoveries = recoveries
        self.pacingP99Ms = pacingP99Ms
        self.durationMs = durationMs
        self.createdAt = createdAt
    }
}

extension PipelineMetricRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "pipelineMetric"

    public static func databaseUUIDEncodingStrategy(for column: String) -> DatabaseUUIDEncodingStrategy {
        .lowercaseString
    }

    /// Typed column names for queries (derived from the coding keys, so they cannot drift).
    public enum Columns {
        public static let createdAt = Column(CodingKeys.createdAt)
    }
}
