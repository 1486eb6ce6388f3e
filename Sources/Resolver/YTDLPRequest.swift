import Foundation

/// Builds yt-dlp's command line for one input. User text only ever appears after `--`, so a
/// query such as `--exec rm` is a search, never an option.
package enum YTDLPRequest {
    package static let format = "bestaudio[acodec=opus]/bestaudio/best"

    /// A URL stays as it is; anything else becomes a one-result search.
    package static func target(for input: String) -> String {
        let trimmed = input.trimmingCharacters(in: .whitespacesAndNewlines)
        if let url = URL(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme) {
            return trimmed
        }
        return "ytsearch1:" + trimmed
    }

    /// Arguments for resolving one track.
    package static func track(_ input: String) -> [String] {
        ["-J", "--no-playlist", "--no-warnings", "-f", format, "--", target(for: input)]
    }

    /// Arguments for listing a playlist without resolving its entries.
    package static func playlist(_ input: String, limit: Int) -> [String] {
        ["-J", "--flat-playlist", "--no-warnings", "--playlist-end", String(limit), "--", target(for: input)]
    }
}
