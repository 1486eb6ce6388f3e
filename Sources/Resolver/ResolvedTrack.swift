import Foundation

/// What yt-dlp found for one input: a direct media URL the engine can open, the headers that
/// URL needs, and what a queue shows about the track.
package struct ResolvedTrack: Sendable, Codable, Equatable {
    package var input: String
    package var streamURL: String
    package var httpHeaders: [String: String]
    package var title: String
    package var uploader: String?
    package var durationSeconds: Double?
    package var webpageURL: String?
    package var thumbnail: String?
    package var isLive: Bool
    /// When the stream URL stops working (YouTube's `expire` parameter), if known.
    package var expiresAt: Date?

    package init(
        input: String, streamURL: String, httpHeaders: [String: String] = [:], title: String,
        uploader: String? = nil, durationSeconds: Double? = nil, webpageURL: String? = nil,
        thumbnail: String? = nil, isLive: Bool = false, expiresAt: Date? = nil
    ) {
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
    package func isUsable(at now: Date) -> Bool {
        guard let expiresAt else { return true }
        return now < expiresAt.addingTimeInterval(-60)
    }
}

/// What `TrackResolver.page` found behind a URL.
package enum PageContents: Sendable, Equatable {
    /// A single item, resolved to its stream.
    case track(ResolvedTrack)
    /// A list: the playlist's (or feed's) name and its entries, not yet resolved.
    case playlist(name: String, entries: [PlaylistEntry])
}

/// One entry of an expanded playlist: enough to queue it and resolve it later.
package struct PlaylistEntry: Sendable, Equatable {
    package var url: String
    package var title: String?
    /// What flat listings carry when the site says (searches usually do).
    package var uploader: String? = nil
    package var durationSeconds: Double? = nil
    package var thumbnail: String? = nil
}
