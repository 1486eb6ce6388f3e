import CadenceTestSupport
import Foundation
import MediaServerSim
import Resolver
import Testing

/// `--flat-playlist` against a playlist yt-dlp's generic extractor reads: a podcast-style RSS
/// feed with one enclosure per item, served over loopback. Entries come back in feed order,
/// and the cap (100 unless told otherwise) holds whatever the feed's length.
@Suite("Playlist expansion", .serialized, .enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct PlaylistExpansionTests {
    /// An RSS 2.0 feed of `items` episodes, each an MP3 enclosure on the same server.
    static func feed(items: Int, port: Int) -> Data {
        let entries = (1...items).map { index in
            """
            <item><title>Episode \(index)</title><guid>episode-\(index)</guid>\
            <enclosure url="http://127.0.0.1:\(port)/episode-\(index).mp3" type="audio/mpeg" length="1000"/></item>
            """
        }
        return Data(
            """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>Cadence test feed</title><link>http://127.0.0.1:\(port)/</link>
            <description>episodes</description>
            \(entries.joined(separator: "\n"))
            </channel></rss>
            """.utf8)
    }

    static func serve(items: Int) async throws -> (MediaServer, String) {
        let server = try await MediaServer.start()
        server.add("feed.xml", data: feed(items: items, port: server.port), contentType: "application/rss+xml")
        return (server, "http://127.0.0.1:\(server.port)/feed.xml")
    }

    @Test("a five-item feed expands into five queue entries, in order, with one yt-dlp run")
    func expandsInOrder() async throws {
        let (server, url) = try await Self.serve(items: 5)
        defer { Task { await server.shutdown() } }
        let resolver = TrackResolver(policy: SourcePolicy(allowPrivateNetwork: true), worker: nil, oneShot: OneShotResolver(timeout: 60))
        let entries = try await resolver.playlist(url)
        #expect(entries.map(\.url) == (1...5).map { "http://127.0.0.1:\(server.port)/episode-\($0).mp3" })
        #expect(entries.first?.title == "Episode 1")
        #expect(resolver.ytdlpCalls == 1)
        #expect(server.requestCount("episode-1.mp3") == 0, "flat expansion must not fetch the entries")
    }

    @Test("a 130-item feed is capped at 100 by default and at the limit given")
    func capIsEnforced() async throws {
        let (server, url) = try await Self.serve(items: 130)
        defer { Task { await server.shutdown() } }
        let resolver = TrackResolver(policy: SourcePolicy(allowPrivateNetwork: true), worker: nil, oneShot: OneShotResolver(timeout: 60))
        let capped = try await resolver.playlist(url)
        #expect(capped.count == 100)
        #expect(capped.last?.url == "http://127.0.0.1:\(server.port)/episode-100.mp3")
        let three = try await resolver.playlist(url, limit: 3)
        #expect(three.map(\.title) == ["Episode 1", "Episode 2", "Episode 3"])
    }

    @Test("the warm worker expands the same feed to the same entries")
    func workerAgreesWithOneShot() async throws {
        let (server, url) = try await Self.serve(items: 7)
        defer { Task { await server.shutdown() } }
        let worker = ResolverWorker(timeout: 60)
        defer { worker.shutdown() }
        let viaWorker = try await TrackResolver(policy: SourcePolicy(allowPrivateNetwork: true), worker: worker).playlist(url, limit: 5)
        let oneShot = try await TrackResolver(
            policy: SourcePolicy(allowPrivateNetwork: true), worker: nil, oneShot: OneShotResolver(timeout: 60)
        ).playlist(url, limit: 5)
        #expect(viaWorker == oneShot)
        #expect(viaWorker.count == 5)
        #expect(worker.starts == 1, "the worker answered (no fallback)")
    }
}
