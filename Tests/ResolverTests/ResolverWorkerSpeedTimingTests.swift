import CadenceTestSupport
import Foundation
import MediaServerSim
import Resolver
import Testing

/// The warm worker's speed-up over a cold yt-dlp process. It compares wall-clock times, so it
/// runs in the timing pass: beside 250 parallel tests the cold and warm runs are slowed unevenly.
@Suite("Resolver worker speed", .enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct ResolverWorkerSpeedTimingTests {
    @Test("the warm worker resolves at least 3× faster than a cold yt-dlp run")
    func warmWorkerIsFaster() async throws {
        let (server, url) = try await ResolverCachingTests.serveTone()
        defer { Task { await server.shutdown() } }
        let oneShot = OneShotResolver(timeout: 60)
        let clock = ContinuousClock()
        var cold: [Duration] = []
        for _ in 0..<2 { cold.append(try await clock.measure { _ = try await oneShot.resolve(url) }) }

        let worker = ResolverWorker(timeout: 60)
        defer { worker.shutdown() }
        let resolver = TrackResolver(policy: SourcePolicy(allowPrivateNetwork: true), worker: worker)
        _ = try await resolver.resolve(url, fresh: true)  // starts the worker
        var warm: [Duration] = []
        for _ in 0..<3 { warm.append(try await clock.measure { _ = try await resolver.resolve(url, fresh: true) }) }
        #expect(worker.starts == 1)

        let coldBest = cold.min()!, warmWorst = warm.max()!
        let ratio = coldBest / warmWorst
        print("resolver: cold yt-dlp \(coldBest), warm worker \(warmWorst), \(String(format: "%.1f", ratio))× faster")
        #expect(ratio >= 3)
    }
}
