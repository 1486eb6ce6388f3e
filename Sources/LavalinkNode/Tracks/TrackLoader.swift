import Foundation
import Resolver

/// `/v4/loadtracks`: turns an identifier into a Lavalink load result through Cadence's
/// Resolver and policy. Always a result, never a thrown HTTP error: failures are `error`
/// with a severity, unknown prefixes `empty`.
package struct TrackLoader: Sendable {
    let context: NodeContext

    package init(context: NodeContext) { self.context = context }

    package func load(_ identifier: String) async -> JSONValue {
        let trimmed = identifier.trimmingCharacters(in: .whitespacesAndNewlines)
        if let (site, query) = search(trimmed) {
            return await runSearch(query, site: site)
        }
        if let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) {
            return await loadURL(trimmed)
        }
        if context.configuration.sourceEnabled("local"), trimmed.hasPrefix("/") || trimmed.hasPrefix("file://") {
            return await loadLocal(trimmed)
        }
        return Self.empty
    }

    static let empty: JSONValue = ["loadType": "empty", "data": .object([:])]

    static func error(_ message: String, severity: String, cause: String) -> JSONValue {
        [
            "loadType": "error",
            "data": [
                "message": .string(message), "severity": .string(severity), "cause": .string(cause),
                "causeStackTrace": .string("\(cause)\n\tat cadence.node.TrackLoader")
            ]
        ]
    }

    private func search(_ identifier: String) -> (SearchSite, String)? {
        let prefixes: [(String, SearchSite, String)] = [
            ("ytsearch:", .youtube, "youtube"), ("ytmsearch:", .youtube, "youtube"), ("scsearch:", .soundcloud, "soundcloud")
        ]
        for (prefix, site, source) in prefixes where identifier.lowercased().hasPrefix(prefix) {
            guard context.configuration.sourceEnabled(source) else { return nil }
            let query = String(identifier.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
            return query.isEmpty ? nil : (site, query)
        }
        return nil
    }

    private func runSearch(_ query: String, site: SearchSite) async -> JSONValue {
        do {
            let entries = try await context.resolver.search(query, site: site)
            if entries.isEmpty { return Self.empty }
            let tracks = entries.map { track(for: $0, source: site == .youtube ? "youtube" : "soundcloud") }
            return ["loadType": "search", "data": .array(tracks.map { $0.json() })]
        } catch {
            return Self.failure(error)
        }
    }

    private func loadURL(_ url: String) async -> JSONValue {
        do {
            try context.policy.check(url: url)
        } catch {
            return Self.error(error.description, severity: "common", cause: "ResolverError: \(error.description)")
        }
        let policy = context.policy
        do {
            let probe = try await MediaProbe.probe(url) { (try? policy.check(url: $0)) != nil }
            return ["loadType": "track", "data": httpTrack(url, probe).json()]
        } catch let failure {
            // Not media: a page, which yt-dlp may know (YouTube, SoundCloud, Bandcamp, …).
            if failure.message.lowercased().contains("invalid data") || failure.message.contains("No audio stream") {
                return await loadPage(url)
            }
            return Self.error(
                "Failed to load \(url): \(failure.message)", severity: failure.isCommon ? "common" : "suspicious",
                cause: "MediaProbe: \(failure.message)")
        }
    }

    private func loadLocal(_ path: String) async -> JSONValue {
        let location = path.hasPrefix("file://") ? String(path.dropFirst(7)) : path
        do {
            let probe = try await MediaProbe.probe(location) { _ in false }
            var info = httpTrack(location, probe).info
            info.sourceName = "local"
            return ["loadType": "track", "data": NodeTrack(info: info).json()]
        } catch {
            return Self.error("Failed to load \(path): \(error.message)", severity: "common", cause: "MediaProbe: \(error.message)")
        }
    }

    private func httpTrack(_ url: String, _ probe: MediaProbe) -> NodeTrack {
        let isStream = probe.durationMs == nil
        let title = probe.title ?? "Unknown title"
        let info = TrackInfo(
            title: title, author: probe.artist ?? "Unknown artist",
            length: probe.durationMs ?? TrackInfo.unknownLength, identifier: url, isStream: isStream,
            uri: url, sourceName: "http", probeInfo: probe.container)
        return NodeTrack(info: info)
    }

    private func loadPage(_ url: String) async -> JSONValue {
        guard let source = pageSource(url), context.configuration.sourceEnabled(source) || source == "ytdlp" else {
            return Self.empty
        }
        do {
            switch try await context.resolver.page(url) {
            case let .playlist(name, entries):
                if entries.isEmpty { return Self.empty }
                let tracks = entries.map { track(for: $0, source: source) }
                return [
                    "loadType": "playlist",
                    "data": [
                        "info": ["name": .string(name), "selectedTrack": -1], "pluginInfo": .object([:]),
                        "tracks": .array(tracks.map { $0.json() })
                    ]
                ]
            case let .track(resolved):
                let length = resolved.durationSeconds.map { Int64($0 * 1000) }
                let info = TrackInfo(
                    title: resolved.title, author: resolved.uploader ?? "Unknown artist",
                    length: resolved.isLive ? TrackInfo.unknownLength : length ?? TrackInfo.unknownLength,
                    identifier: resolved.webpageURL ?? url, isStream: resolved.isLive || length == nil,
                    uri: resolved.webpageURL ?? url, artworkUrl: resolved.thumbnail, sourceName: source)
                return ["loadType": "track", "data": NodeTrack(info: info).json()]
            }
        } catch {
            return Self.failure(error)
        }
    }

    private func track(for entry: PlaylistEntry, source: String) -> NodeTrack {
        let length = entry.durationSeconds.map { Int64($0 * 1000) }
        let info = TrackInfo(
            title: entry.title ?? "Unknown title", author: entry.uploader ?? "Unknown artist",
            length: length ?? TrackInfo.unknownLength, identifier: entry.url, isStream: length == nil,
            uri: entry.url, artworkUrl: entry.thumbnail, sourceName: source)
        return NodeTrack(info: info)
    }

    /// yt-dlp serves pages of many sites; the two Lavalink names it stands in for, else `ytdlp`.
    private func pageSource(_ url: String) -> String? {
        guard let host = URL(string: url)?.host?.lowercased() else { return nil }
        if host.hasSuffix("youtube.com") || host == "youtu.be" { return "youtube" }
        if host.hasSuffix("soundcloud.com") { return "soundcloud" }
        return "ytdlp"
    }

    static func failure(_ error: ResolverError) -> JSONValue {
        let severity: String =
            switch error {
            case .notFound, .schemeNotAllowed, .privateAddress, .unknownHost, .tooLong: "common"
            case .timedOut: "suspicious"
            case .outputTooLarge, .malformedOutput, .toolMissing: "fault"
            }
        return Self.error(error.description, severity: severity, cause: "ResolverError: \(error.description)")
    }
}
