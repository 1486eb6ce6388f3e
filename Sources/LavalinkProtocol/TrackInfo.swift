/// Lavalink's `TrackInfo` JSON (`protocol/v4/player.kt`) with its exact field names. It encodes
/// every key, with explicit `null` for a missing `uri`, `artworkUrl` or `isrc`, because clients
/// with strict schemas (lavalink.py, sonolink) require the keys.
package struct TrackInfo: Codable, Sendable, Equatable {
    package var identifier: String
    package var isSeekable: Bool
    package var author: String
    /// Milliseconds; ``unknownLength`` for a stream or an unknown duration.
    package var length: Int64
    package var isStream: Bool
    /// Milliseconds from the start: where the track starts (in a track) or is (in a player).
    package var position: Int64
    package var title: String
    package var uri: String?
    package var artworkUrl: String?
    package var isrc: String?
    package var sourceName: String

    /// lavaplayer's `Units.DURATION_MS_UNKNOWN` (`Long.MAX_VALUE`), the length of a stream.
    package static let unknownLength = Int64.max

    package init(
        identifier: String, isSeekable: Bool, author: String, length: Int64, isStream: Bool,
        position: Int64 = 0, title: String, uri: String?, artworkUrl: String? = nil, isrc: String? = nil,
        sourceName: String
    ) {
        self.identifier = identifier
        self.isSeekable = isSeekable
        self.author = author
        self.length = length
        self.isStream = isStream
        self.position = position
        self.title = title
        self.uri = uri
        self.artworkUrl = artworkUrl
        self.isrc = isrc
        self.sourceName = sourceName
    }

    private enum CodingKeys: String, CodingKey {
        case identifier, isSeekable, author, length, isStream, position, title, uri, artworkUrl, isrc, sourceName
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(identifier, forKey: .identifier)
        try container.encode(isSeekable, forKey: .isSeekable)
        try container.encode(author, forKey: .author)
        try container.encode(length, forKey: .length)
        try container.encode(isStream, forKey: .isStream)
        try container.encode(position, forKey: .position)
        try container.encode(title, forKey: .title)
        try container.encode(uri, forKey: .uri)
        try container.encode(artworkUrl, forKey: .artworkUrl)
        try container.encode(isrc, forKey: .isrc)
        try container.encode(sourceName, forKey: .sourceName)
    }
}
