import Foundation
import Testing

/// The `/v4/websocket` handshake and what a fresh session receives.
@Suite struct NodeSocketHandshakeTests {
    @Test func aNewSessionGetsReadyFirstThenStatsWithNullFrameStats() async throws {
        let node = try await NodeHarness()
        let socket = try await node.socket()
        #expect(socket.handshake.status == 101)
        #expect(socket.handshake.headers["session-resumed"] == "false")
        let ops = OpReader(socket)
        let ready = try #require(await ops.next())
        #expect(ready["op"] as? String == "ready")
        #expect(ready["resumed"] as? Bool == false)
        let id = try #require(ready["sessionId"] as? String)
        #expect(id.count == 16 && id.allSatisfy { $0.isLowercase || $0.isNumber })
        let stats = try #require(await ops.nextOp("stats"))
        #expect(stats["frameStats"] is NSNull)
        #expect(stats["players"] as? Int == 0)
        // The session exists for REST now.
        let players = try await node.request(.GET, "/v4/sessions/\(id)/players")
        #expect(players.status == 200 && players.text == "[]")
        socket.sendPing()
        socket.sendText("{\"op\":\"anything\"}")  // v4 clients send nothing; it is ignored
        try await Task.sleep(for: .milliseconds(300))
        #expect(ops.all.allSatisfy { ["ready", "stats", "playerUpdate", "event"].contains($0["op"] as? String ?? "") })
        await node.shutdown()
        #expect(await ops.waitForClose() == 1001)
    }

    @Test func badPasswordIs401AndAMissingUserIdIs400() async throws {
        let node = try await NodeHarness()
        let wrong = try await node.socket(password: "nope")
        #expect(wrong.handshake.status == 401)
        let noUser = try await node.socket(userID: nil)
        #expect(noUser.handshake.status == 400)
        let zeroUser = try await node.socket(userID: "0")
        #expect(zeroUser.handshake.status == 400)
        await node.shutdown()
    }

    @Test func withoutResumingAClosedSocketDestroysItsSessionAndPlayers() async throws {
        let node = try await NodeHarness()
        let socket = try await node.socket()
        let ops = OpReader(socket)
        let id = try #require(await ops.nextOp("ready")?["sessionId"] as? String)
        let created = try await node.request(.PATCH, "/v4/sessions/\(id)/players/\(NodeHarness.guildID)", json: "{\"volume\":80}")
        #expect(created.status == 200)
        #expect(try created.object()["volume"] as? Int == 80)
        socket.drop()
        var gone = false
        for _ in 0..<100 where !gone {
            try await Task.sleep(for: .milliseconds(20))
            gone = try await node.request(.GET, "/v4/sessions/\(id)/players").status == 404
        }
        #expect(gone)
        await node.shutdown()
    }
}
