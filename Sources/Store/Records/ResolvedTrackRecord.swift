import Foundation
import GRDB

/// A track the resolver turned into a playable stream URL, kept until shortly before the
/// URL's own expiry so a repeat request skips yt-dlp.
///
/// `query` is the resolver's key (a URL or a normalised search). `httpHeaders` holds the
/// headers the stream needs, as a JSON object. A row is usable until `expiresAt − 60 s`
/// (see `ResolvedTrackRepository`), so playback never starts on a URL about to die.
public struct ResolvedTrackRecord: Codable, Sendable, Equatable, Identifiable {
    public var id: UUID
    public var query: String
    public var title: String?
    public var uploader: String?
    public var streamURL: String
    public var webpageURL: String?
    public var thumbnailURL: String?
    public var httpHeaders: [String: String]
    public var durationSeconds: Double?
    public var isLive: Bool
    public var expiresAt: Date
    public var createdAt: Date

    public init(
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
    public static let databaseTableName = "resolvedTrack"

    public static func databaseUUIDEncodingStrategy(for column: String) -> DatabaseUUIDEncodingStrategy {
        .lowercaseString
    }

    /// Typed column names for queries (derived from the coding keys, so they cannot drift).
    public enum Columns {
        public static let query = Column(CodingKeys.query)
        public static let expiresAt = Column(CodingKeys.expiresAt)
    }
}
