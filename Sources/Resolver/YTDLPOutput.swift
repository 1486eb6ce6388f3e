import Foundation

/// Reads yt-dlp's `-J` JSON: a single video, or a search/playlist wrapper around entries.
enum YTDLPOutput {
    static func track(from data: Data, input: String) throws(ResolverError) -> ResolvedTrack {
        guard var object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformedOutput(input: input, message: "not a JSON object")
        }
        if object["url"] == nil, let entries = object["entries"] as? [[String: Any]] {
            guard let first = entries.first else { throw .notFound(input: input, message: "no results") }
            object = first
        }
        guard let url = object["url"] as? String else {
            throw .malformedOutput(input: input, message: "no direct url for the selected format")
        }
        let headers = (object["http_headers"] as? [String: Any])?.compactMapValues { $0 as? String } ?? [:]
        return ResolvedTrack(
            input: input, streamURL: url, httpHeaders: headers,
            title: object["title"] as? String ?? input,
            uploader: object["uploader"] as? String,
            durationSeconds: (object["duration"] as? NSNumber)?.doubleValue,
            webpageURL: object["webpage_url"] as? String,
            thumbnail: object["thumbnail"] as? String,
            isLive: object["is_live"] as? Bool ?? false,
            expiresAt: expiry(of: url))
    }

    /// A flat listing as yt-dlp gave it: the playlist's title and entries, or nil entries for a
    /// page that is a single item.
    static func listing(from data: Data, input: String) throws(ResolverError) -> (title: String?, entries: [PlaylistEntry]?) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformedOutput(input: input, message: "not a JSON object")
        }
        guard object["entries"] is [[String: Any]] else { return (object["title"] as? String, nil) }
        return (object["title"] as? String, try playlist(from: data, input: input))
    }

    static func playlist(from data: Data, input: String) throws(ResolverError) -> [PlaylistEntry] {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw .malformedOutput(input: input, message: "not a JSON object")
        }
        guard let entries = object["entries"] as? [[String: Any]] else {
            if let url = object["webpage_url"] as? String ?? object["url"] as? String {
                return [PlaylistEntry(url: url, title: object["title"] as? String)]
            }
            throw .notFound(input: input, message: "not a playlist")
        }
        return entries.compactMap { entry in
            guard let url = entry["url"] as? String ?? entry["webpage_url"] as? String else { return nil }
            let thumbnail =
                entry["thumbnail"] as? String
                ?? ((entry["thumbnails"] as? [[String: Any]])?.last?["url"] as? String)
            return PlaylistEntry(
                url: withoutSmuggledData(url), title: entry["title"] as? String,
                uploader: entry["uploader"] as? String ?? entry["channel"] as? String,
                durationSeconds: (entry["duration"] as? NSNumber)?.doubleValue, thumbnail: thumbnail)
        }
    }

    /// yt-dlp's generic extractor appends `#__youtubedl_smuggle=…` (its own hints for a later
    /// run) to entry URLs; a queue shows and re-resolves the plain URL.
    static func withoutSmuggledData(_ url: String) -> String {
        guard let range = url.range(of: "#__youtubedl_smuggle=") else { return url }
        return String(url[..<range.lowerBound])
    }

    /// YouTube's signed URLs carry `expire=<unix seconds>`.
    static func expiry(of url: String) -> Date? {
        guard let items = URLComponents(string: url)?.queryItems,
            let value = items.first(where: { $0.name == "expire" })?.value, let seconds = Double(value)
        else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}
