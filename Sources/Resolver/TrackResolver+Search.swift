/// A yt-dlp search site, as Lavalink's search prefixes name them.
package enum SearchSite: String, Sendable, CaseIterable {
    case youtube = "ytsearch"
    case soundcloud = "scsearch"
}

extension YTDLPRequest {
    /// Arguments for a flat search; the query goes after `--` and behind the site prefix, so
    /// it can never be read as an option or a URL.
    package static func search(_ query: String, site: SearchSite, limit: Int) -> [String] {
        ["-J", "--flat-playlist", "--no-warnings", "--", "\(site.rawValue)\(limit):\(query)"]
    }
}

extension TrackResolver {
    /// Lists up to `limit` results of a search on `site`, without resolving their streams.
    package func search(_ query: String, site: SearchSite, limit: Int = 10) async throws(ResolverError) -> [PlaylistEntry] {
        let input = "\(site.rawValue):\(query)"
        counters.withLock { $0.ytdlpCalls += 1 }
        let arguments = YTDLPRequest.search(query, site: site, limit: limit)
        if let worker, let data = try? await worker.request(arguments) {
            return Array(try YTDLPOutput.playlist(from: data, input: input).prefix(limit))
        }
        let output = try await oneShot.run(arguments, input: input)
        return Array(try YTDLPOutput.playlist(from: output, input: input).prefix(limit))
    }
}
