/// What Lavalink knows about a track (`TrackInfo` in the protocol), plus lavaplayer's
/// per-source detail that travels only inside the encoded string.
package struct TrackInfo: Sendable, Equatable {
    package var title: String
    package var author: String
    /// Milliseconds; `unknownLength` for streams.
    package var length: Int64
    package var identifier: String
    package var isStream: Bool
    package var uri: String?
    package var artworkUrl: String?
    package var isrc: String?
    package var sourceName: String
    /// lavaplayer's probe string for `http`/`local` sources (`mp3`, `ogg`, `matroska/webm`, …).
    package var probeInfo: String?
    /// Start offset the string carries, ms.
    package var position: Int64

    /// lavaplayer's `Units.DURATION_MS_UNKNOWN` (Long.MAX_VALUE).
    package static let unknownLength = Int64.max

    package init(
        title: String, author: String, length: Int64, identifier: String, isStream: Bool, uri: String?,
        artworkUrl: String? = nil, isrc: String? = nil, sourceName: String, probeInfo: String? = nil,
        position: Int64 = 0
    ) {
        self.title = title
        self.author = author
        self.length = length
        self.identifier = identifier
        self.isStream = isStream
        self.uri = uri
        self.artworkUrl = artworkUrl
        self.isrc = isrc
        self.sourceName = sourceName
        self.probeInfo = probeInfo
        self.position = position
    }

    /// The `info` object, every key present and `null` where unknown (clients with strict schemas need all).
    package func json(position: Int64? = nil) -> JSONValue {
        [
            "identifier": .string(identifier),
            "isSeekable": .bool(!isStream),
            "author": .string(author),
            "length": .int(length),
            "isStream": .bool(isStream),
            "position": .int(position ?? self.position),
            "title": .string(title),
            "uri": .optional(uri),
            "artworkUrl": .optional(artworkUrl),
            "isrc": .optional(isrc),
            "sourceName": .string(sourceName)
        ]
    }
}

/// A playable track as the API hands it out: the encoded string, its info, and the client's `userData`.
package struct NodeTrack: Sendable, Equatable {
    package var encoded: String
    package var info: TrackInfo
    package var userData: JSONValue = .object([:])
    /// Cadence's own data (never inside the binary string).
    package var pluginInfo: JSONValue = .object([:])

    package init(info: TrackInfo) {
        self.info = info
        encoded = TrackCodec.encode(info)
    }

    package init(encoded: String, info: TrackInfo) {
        self.encoded = encoded
        self.info = info
    }

    package func json(position: Int64? = nil) -> JSONValue {
        ["encoded": .string(encoded), "info": info.json(position: position), "pluginInfo": pluginInfo, "userData": userData]
    }
}
