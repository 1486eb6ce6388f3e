import Foundation
import GRDB

/// A track the resolver turned into a playable stream URL, kept until shortly before the
/// URL's own expiry so a repeat request skips yt-dlp.
///
/// `query` is the resolver's key (a URL or a normalised search). `httpHeaders` holds the
/// headers the stream needs, as a JSON object. A row is usable until `expiresAt − 60 s`
/// (see `ResolvedTrackRepository`), so playback never starts on a URL about to die.
package struct ResolvedTrackRecord: Codable, Sendable, Equatable, Identifiable {
    package var id: UUID
    package var query: String
    package var title: String?
    package var uploader: String?
    package var streamURL: String
    package var webpageURL: String?
    package var thumbnailURL: String?
    package var httpHeaders: [String: String]
    package var durationSeconds: Double?
    package var isLive: Bool
    package var expiresAt: Date
    package var createdAt: Date

    package init(
        id: UUID = UUID(), query: String, title: String? = nil, uploader: String? = nil, streamURL: String,
        webpageURL: String? = nil, thumbnailURL: String? = nil, httpHeaders: [String: String] = [:],
        durationSeconds: Double? = nil, isLive: Bool = false, expiresAt: Date, createdAt: Date = Date()
    ) {
        self.id = id
        self.query = query
        self.title = title
        self.uploader = uploader
        self.streamURL = streamURL
        self.webpageURL = webpageURL
        self.thumbnailURL = thumbnailURL
        self.httpHeaders = httpHeaders
        self.durationSeconds = durationSeconds
        self.isLive = isLive
        self.expiresAt = expiresAt
        self.createdAt = createdAt
    }
}

extension ResolvedTrackRecord: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "resolvedTrack"

    package static func databaseUUIDEncodingStrategy(for column: String) -> DatabaseUUIDEncodingStrategy {
        .lowercaseString
    }

    /// Typed column names for queries (derived from the coding keys, so they cannot drift).
    package enum Columns {
        package static let query = Column(CodingKeys.query)
        package static let expiresAt = Column(CodingKeys.expiresAt)
    }
}
