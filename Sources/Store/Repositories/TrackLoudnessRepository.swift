import Foundation
import GRDB

/// Keeps and looks up tracks' measured loudness by the track's identity.
public struct TrackLoudnessRepository: Sendable {
    public let database: AppDatabase

    public init(database: AppDatabase) {
        self.database = database
    }

    /// Inserts or replaces the track's row (a new measurement wins).
    public func save(_ record: TrackLoudnessRecord) async throws(StoreError) {
        try await database.asyncWrite("save track loudness") { db in try record.save(db) }
    }

    /// The loudness measured for `identity`, or nil.
    public func loudness(of identity: String) async throws(StoreError) -> TrackLoudnessRecord? {
        try await database.asyncRead("read track loudness") { db in try TrackLoudnessRecord.fetchOne(db, key: identity) }
    }
}
