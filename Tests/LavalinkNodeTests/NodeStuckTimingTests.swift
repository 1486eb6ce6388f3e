import Foundation
import MediaServerSim
import Testing

/// TrackStuck comes only when the engine's own recovery could not bring audio back within
/// `trackStuckThresholdMs`: a stall it rides out is never reported to the client.
@Suite struct NodeStuckTimingTests {
    @Test func aShortStallTheEngineRidesOutIsNotReported() async throws {
        let node = try await NodeHarness { $0.trackStuckThresholdMs = 3000 }
        let media = try await NodeFixtures.server("hiccup.ogg", seconds: 6)
        media.setFaults([.stall(atByte: 30_000, seconds: 1.5)], for: "hiccup.ogg")
        let session = try await VoicePlayback.start(node: node)
        _ = try await session.joinVoice()
        let encoded = try #require(try await session.load(media.url("hiccup.ogg"))["encoded"] as? String)
        _ = try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\"}}")
        let end = try #require(await session.ops.nextEvent("TrackEndEvent", timeout: 20))
        #expect(end["reason"] as? String == "finished")
        #expect(!session.ops.all.contains { $0["type"] as? String == "TrackStuckEvent" })
        await session.shutdown()
        await media.shutdown()
        await node.shutdown()
    }
}
