import CadenceTestSupport
import Foundation
import MediaServerSim
import Resolver
import Testing

/// A URL that is not media is a page, and the page decides what it holds, not the URL's shape:
/// a podcast feed (yt-dlp's generic extractor, no `list=` or `/playlist` in sight) loads as a
/// `playlist` named after the feed, in feed order, and each of its tracks plays.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct NodePageLoadingTests {
    static func feed(port: Int) -> Data {
        let items = (1...3).map { index in
            """
            <item><title>Episode \(index)</title><guid>episode-\(index)</guid>\
            <enclosure url="http://127.0.0.1:\(port)/episode-\(index).ogg" type="audio/ogg" length="1000"/></item>
            """
        }
        return Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Cadence node feed</title><link>http://127.0.0.1:\(port)/</link>
            <description>episodes</description>
            \(items.joined(separator: "\n"))
            </channel></rss>
            """.utf8)
    }

    @Test func aFeedLoadsAsAPlaylistNamedAfterItInFeedOrder() async throws {
        let media = try await MediaServer.start()
        media.add("feed.xml", data: Self.feed(port: media.port), contentType: "application/rss+xml")
        let episode = try await NodeFixtures.tone(seconds: 1)
        for index in 1...3 { media.add("episode-\(index).ogg", data: episode, contentType: "audio/ogg") }
        let resolver = TrackResolver(
            policy: SourcePolicy(allowPrivateNetwork: true), worker: nil,
            oneShot: OneShotResolver(timeout: 60))
        let node = try await NodeHarness(resolver: resolver)
        let feed = "http://127.0.0.1:\(media.port)/feed.xml"
        let identifier = feed.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let result = try await node.request(.GET, "/v4/loadtracks?identifier=\(identifier)").object()
        print("loadtracks of a 3-item feed: loadType \(result["loadType"] ?? "none")")
        #expect(result["loadType"] as? String == "playlist")
        let data = try #require(result["data"] as? [String: Any])
        let info = try #require(data["info"] as? [String: Any])
        #expect(info["name"] as? String == "Cadence node feed")
        #expect(info["selectedTrack"] as? Int == -1)
        let tracks = try #require(data["tracks"] as? [[String: Any]])
        let uris = tracks.compactMap { ($0["info"] as? [String: Any])?["uri"] as? String }
        #expect(uris == (1...3).map { "http://127.0.0.1:\(media.port)/episode-\($0).ogg" })
        // Each entry is a real encoded track the node can decode again.
        let encoded = try #require(tracks.first?["encoded"] as? String)
        let decoded = try await node.request(
            .GET, "/v4/decodetrack?encodedTrack=\(encoded.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)"
        ).object()
        #expect((decoded["info"] as? [String: Any])?["uri"] as? String == uris.first)
        #expect(resolver.ytdlpCalls == 1)
        await node.shutdown()
        await media.shutdown()
    }
}
