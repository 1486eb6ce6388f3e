import Foundation

/// What yt-dlp found for one input: a direct media URL the engine can open, the headers that
/// URL needs, and what a queue shows about the track.
public struct ResolvedTrack: Sendable, Codable, Equatable {
    public var input: String
    public var streamURL: String
    public var httpHeaders: [String: String]
    public var title: String
    public var uploader: String?
    public var durationSeconds: Double?
    public var webpageURL: String?
    public var thumbnail: String?
    public var isLive: Bool
    /// When the stream URL stops working (YouTube's `expire` parameter), if known.
    public var expiresAt: Date?

    public init(input: String, streamURL: String, httpHeaders: [String: String] = [:], title: String,
                uploader: String? = nil, durationSeconds: Double? = nil, webpageURL: String? = nil,
                thumbnail: String? = nil, isLive: Bool = false, expiresAt: Date? = nil)
    {
        self.input = input
        self.streamURL = streamURL
        self.httpHeaders = httpHeaders
        self.title = title
        self.uploader = uploader
        self.durationSeconds = durationSeconds
        self.webpageURL = webpageURL
        self.thumbnail = thumbnail
        self.isLive = isLive
        self.expiresAt = expiresAt
    }

    /// A cached resolution is used until a minute before its URL expires.
    public func isUsable(at now: Date) -> Bool {
        guard let expiresAt else { return true }
        return now < expiresAt.addingTimeInterval(-60)
    }
}

/// What `TrackResolver.page` found behind a URL.
public enum PageContents: Sendable, Equatable {
    /// A single item, resolved to its stream.
    case track(ResolvedTrack)
    /// A list: the playlist's (or feed's) name and its entries, not yet resolved.
    case playlist(name: String, entries: [PlaylistEntry])
}

/// One entry of an expanded playlist: enough to queue it and resolve it later.
public struct PlaylistEntry: Sendable, Equatable {
    public var url: String
    public var title: String?
    /// What flat listings carry when the site says (searches usually do).
    public var uploader: String? = nil
    public var durationSeconds: Double? = nil
    public var thumbnail: String? = nil
}
