import CadenceTestSupport
import Foundation
import MediaServerSim
import Resolver
import Testing

/// Real yt-dlp (from .venv) resolving a loopback URL with its generic extractor: once per
/// track, then from the cache; and faster through the warm worker than as a cold process.
@Suite("Resolver caching", .enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct ResolverCachingTests {
    static func serveTone() async throws -> (MediaServer, String) {
        let directory = try Tools.temporaryDirectory("resolve")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("tone.mp3")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=2", "-c:a", "libmp3lame", file.path])
        let server = try await MediaServer.start()
        server.add("tone.mp3", data: try Data(contentsOf: file), contentType: "audio/mpeg")
        return (server, "http://127.0.0.1:\(server.port)/tone.mp3")
    }

    @Test("a cached resolution skips yt-dlp")
    func cachedResolutionSkipsYTDLP() async throws {
        let (server, url) = try await Self.serveTone()
        defer { Task { await server.shutdown() } }
        let resolver = TrackResolver(policy: SourcePolicy(allowPrivateNetwork: true), worker: nil, oneShot: OneShotResolver(timeout: 60))
        let first = try await resolver.resolve(url)
        #expect(first.streamURL.hasPrefix("http://127.0.0.1:\(server.port)/tone.mp3"))
        #expect(resolver.ytdlpCalls == 1)
        let requestsAfterFirst = server.requestCount("tone.mp3")

        let second = try await resolver.resolve(url)
        #expect(second == first)
        #expect(resolver.ytdlpCalls == 1, "the second resolution ran yt-dlp again")
        #expect(resolver.cacheHits == 1)
        #expect(server.requestCount("tone.mp3") == requestsAfterFirst)
    }

    @Test("a resolution that points into a private network is refused")
    func privateStreamURLIsRefused() async throws {
        let (server, url) = try await Self.serveTone()
        defer { Task { await server.shutdown() } }
        let resolver = TrackResolver(policy: SourcePolicy(), worker: nil, oneShot: OneShotResolver(timeout: 60))
        await #expect(throws: ResolverError.self) { try await resolver.resolve(url) }
        #expect(resolver.ytdlpCalls == 0, "refused before yt-dlp ran")
    }

    @Test("a worker that dies is restarted, and the request falls back to a one-shot run")
    func deadWorkerIsReplaced() async throws {
        let (server, url) = try await Self.serveTone()
        defer { Task { await server.shutdown() } }
        let worker = ResolverWorker(timeout: 60)
        defer { worker.shutdown() }
        let resolver = TrackResolver(policy: SourcePolicy(allowPrivateNetwork: true), worker: worker)
        _ = try await resolver.resolve(url, fresh: true)
        worker.shutdown()  // kill it
        try await Task.sleep(for: .milliseconds(200))
        _ = try await resolver.resolve(url, fresh: true)
        #expect(worker.starts == 2)
    }
}
