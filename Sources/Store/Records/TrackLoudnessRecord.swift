import Foundation
import GRDB

/// A track's measured loudness (EBU R128), kept so that later plays normalise it with one
/// gain from the first sample instead of estimating it again.
///
/// `id` is the track's identity as the caller names it: the extractor and id for a yt-dlp
/// track (`youtube:dQw4w9WgXcQ`), else the resolved URL or the file's absolute path. The
/// engine measures and applies; this is only where the figure is kept.
public struct TrackLoudnessRecord: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    /// Gated integrated loudness, LUFS.
    public var integratedLUFS: Double
    /// True peak, dBTP.
    public var truePeakDBTP: Double
    public var measuredAt: Date

    public init(id: String, integratedLUFS: Double, truePeakDBTP: Double, measuredAt: Date = Date()) {
        self.id = id
        self.integratedLUFS = integratedLUFS
        self.truePeakDBTP = truePeakDBTP
        self.measuredAt = measuredAt
    }
}

extension TrackLoudnessRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "trackLoudness"
}
