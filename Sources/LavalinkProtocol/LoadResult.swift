/// The answer of `/v4/loadtracks`: `{loadType, data}` with exactly Lavalink's five load types
/// (`player/AudioLoaderRestHandler.kt`). Clients switch on these five and reject others.
package enum LoadResult: Codable, Sendable, Equatable {
    /// One track (a URL to a media file, a video page).
    case track(LavalinkTrack)
    /// A playlist page.
    case playlist(Playlist)
    /// A search (`ytsearch:` …), flattened to its tracks.
    case search([LavalinkTrack])
    /// Nothing matched; `data` is `{}`.
    case empty
    /// Loading failed.
    case error(LavalinkException)

    /// `{info: {name, selectedTrack}, pluginInfo, tracks}`.
    package struct Playlist: Codable, Sendable, Equatable {
        package struct Info: Codable, Sendable, Equatable {
            package var name: String
            /// Index into `tracks` of the track the URL pointed at, or -1.
            package var selectedTrack: Int

            package init(name: String, selectedTrack: Int = -1) {
                self.name = name
                self.selectedTrack = selectedTrack
            }
        }

        package var info: Info
        package var pluginInfo: LavalinkJSON
        package var tracks: [LavalinkTrack]

        package init(info: Info, pluginInfo: LavalinkJSON = .emptyObject, tracks: [LavalinkTrack]) {
            self.info = info
            self.pluginInfo = pluginInfo
            self.tracks = tracks
        }
    }

    /// The `loadType` string.
    package var loadType: String {
        switch self {
        case .track: "track"
        case .playlist: "playlist"
        case .search: "search"
        case .empty: "empty"
        case .error: "error"
        }
    }

    private enum CodingKeys: String, CodingKey { case loadType, data }
    private struct Empty: Codable {}

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let type = try container.decode(String.self, forKey: .loadType)
        switch type {
        case "track": self = .track(try container.decode(LavalinkTrack.self, forKey: .data))
        case "playlist": self = .playlist(try container.decode(Playlist.self, forKey: .data))
        case "search": self = .search(try container.decode([LavalinkTrack].self, forKey: .data))
        case "empty": self = .empty
        case "error": self = .error(try container.decode(LavalinkException.self, forKey: .data))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .loadType, in: container, debugDescription: "unknown loadType \(type)")
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(loadType, forKey: .loadType)
        switch self {
        case let .track(track): try container.encode(track, forKey: .data)
        case let .playlist(playlist): try container.encode(playlist, forKey: .data)
        case let .search(tracks): try container.encode(tracks, forKey: .data)
        case .empty: try container.encode(Empty(), forKey: .data)
        case let .error(exception): try container.encode(exception, forKey: .data)
        }
    }
}

/// Lavalink's `Exception` JSON, in a failed load and in `TrackExceptionEvent`:
/// `{message, severity, cause, causeStackTrace}`, `message` encoded as `null` when absent.
package struct LavalinkException: Codable, Sendable, Equatable, Error {
    /// lavaplayer's `FriendlyException.Severity`.
    package enum Severity: String, Codable, Sendable {
        /// The cause is known and expected (unavailable video, unsupported format).
        case common
        /// The cause may be a bug or a change on the source's side.
        case suspicious
        /// Something broke inside the node.
        case fault
    }

    package var message: String?
    package var severity: Severity
    /// The underlying error, as `Type: message`.
    package var cause: String
    /// The cause's stack trace; Cadence has none to give and sends the cause's description.
    package var causeStackTrace: String

    package init(message: String?, severity: Severity, cause: String, causeStackTrace: String? = nil) {
        self.message = message
        self.severity = severity
        self.cause = cause
        self.causeStackTrace = causeStackTrace ?? cause
    }

    private enum CodingKeys: String, CodingKey { case message, severity, cause, causeStackTrace }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        message = try container.decodeIfPresent(String.self, forKey: .message)
        severity = try container.decode(Severity.self, forKey: .severity)
        cause = try container.decode(String.self, forKey: .cause)
        causeStackTrace = try container.decodeIfPresent(String.self, forKey: .causeStackTrace) ?? cause
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(message, forKey: .message)
        try container.encode(severity, forKey: .severity)
        try container.encode(cause, forKey: .cause)
        try container.encode(causeStackTrace, forKey: .causeStackTrace)
    }
}
