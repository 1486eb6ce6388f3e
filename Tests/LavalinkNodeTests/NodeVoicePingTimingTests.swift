import Foundation
import Testing

/// `playerUpdate.state.ping` is the voice WebSocket's heartbeat round trip, as Lavalink reports it:
/// it follows the voice server's real latency, not a constant.
@Suite struct NodeVoicePingTimingTests {
    @Test func pingFollowsTheVoiceServersHeartbeatAcknowledgements() async throws {
        let node = try await NodeHarness { $0.playerUpdateInterval = 1 }
        // Beats every 300 ms, so the round trip is measured many times within the test.
        let session = try await VoicePlayback.start(node: node) { $0.heartbeatIntervalMs = 300 }
        // Every message from the voice server, heartbeat acks included, arrives 150 ms late.
        session.voice.setMessageDelay(0.15)
        _ = try await session.joinVoice()
        // Lavalink sends playerUpdate while a track plays.
        let media = try await NodeFixtures.server("long.ogg", seconds: 30)
        let encoded = try #require(try await session.load(media.url("long.ogg"))["encoded"] as? String)
        #expect(try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\"}}").status == 200)
        let slow = await nextPing(session) { $0 >= 0 }
        print("ping with acks delayed by 150 ms: \(slow.map(String.init) ?? "none") ms")
        #expect(slow.map { (150...700).contains($0) } == true)

        session.voice.setMessageDelay(0)
        let fast = await nextPing(session) { (0..<100).contains($0) }
        print("ping once the delay is gone: \(fast.map(String.init) ?? "none") ms")
        #expect(fast != nil)

        // GET shows the same figure the updates carry.
        let player = try await node.request(.GET, session.playerPath).object()
        let state = try #require(player["state"] as? [String: Any])
        #expect((state["ping"] as? Int).map { (0..<100).contains($0) } == true)
        _ = try await session.patch("{\"track\":{\"encoded\":null}}")
        await session.shutdown()
        await media.shutdown()
        await node.shutdown()
    }

    /// The ping of the first playerUpdate within 10 s that `matches`.
    private func nextPing(_ session: VoicePlayback, matches: (Int) -> Bool) async -> Int? {
        let deadline = ContinuousClock.now + .seconds(10)
        while ContinuousClock.now < deadline {
            guard let update = await session.ops.nextOp("playerUpdate", timeout: 3) else { continue }
            if let state = update["state"] as? [String: Any], state["connected"] as? Bool == true,
                let ping = state["ping"] as? Int, matches(ping)
            {
                return ping
            }
        }
        return nil
    }
}
