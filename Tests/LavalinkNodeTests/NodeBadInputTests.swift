import Foundation
import Testing

/// Requests Lavalink refuses or treats specially, answered with its status and message, and
/// a socket that floods being closed alone.
@Suite struct NodeBadInputTests {
    static let guild = NodeHarness.guildID

    @Test func unknownPlayerIsNotFoundOnGetButCreatedByPatch() async throws {
        let node = try await NodeHarness()
        let ops = OpReader(try await node.socket())
        let id = try #require(await ops.nextOp("ready")?["sessionId"] as? String)
        let missing = try await node.request(.GET, "/v4/sessions/\(id)/players/\(Self.guild)")
        #expect(missing.status == 404)
        #expect(try missing.object()["message"] as? String == "Player not found")
        let created = try await node.request(.PATCH, "/v4/sessions/\(id)/players/\(Self.guild)?noReplace=True", json: "{}")
        #expect(created.status == 200)
        let player = try created.object()
        #expect(player["guildId"] as? String == Self.guild)
        #expect(player["track"] is NSNull)
        #expect(player["volume"] as? Int == 100)
        #expect(player["paused"] as? Bool == false)
        let voice = try #require(player["voice"] as? [String: Any])
        #expect(voice["token"] as? String == "" && voice["endpoint"] as? String == "" && voice["sessionId"] as? String == "")
        #expect(voice["channelId"] is NSNull)
        let state = try #require(player["state"] as? [String: Any])
        #expect(state["connected"] as? Bool == false && state["position"] as? Int == 0 && state["ping"] as? Int == -1)
        #expect((player["filters"] as? [String: Any])?.isEmpty == true)
        let filters = try await node.request(
            .PATCH, "/v4/sessions/\(id)/players/\(Self.guild)",
            json: "{\"filters\":{\"timescale\":{\"speed\":1.25}},\"volume\":\"50\"}"
        ).object()
        #expect(((filters["filters"] as? [String: Any])?["timescale"] as? [String: Any])?["speed"] as? Double == 1.25)
        #expect(filters["volume"] as? Int == 50)  // a quoted number is read as a number, as pomice needs
        let bad = try await node.request(.PATCH, "/v4/sessions/\(id)/players/\(Self.guild)?noReplace=maybe", json: "{}")
        #expect(bad.status == 400)
        #expect(try await node.request(.DELETE, "/v4/sessions/\(id)/players/\(Self.guild)").status == 204)
        #expect(try await node.request(.GET, "/v4/sessions/\(id)/players/\(Self.guild)").status == 404)
        await node.shutdown()
    }

    @Test func disabledFiltersAreRefusedWithLavalinksMessage() async throws {
        let node = try await NodeHarness { $0.filters["timescale"] = false }
        let ops = OpReader(try await node.socket())
        let id = try #require(await ops.nextOp("ready")?["sessionId"] as? String)
        let reply = try await node.request(
            .PATCH, "/v4/sessions/\(id)/players/\(Self.guild)",
            json: "{\"filters\":{\"timescale\":{\"speed\":2}}}")
        #expect(reply.status == 400)
        #expect(try reply.object()["message"] as? String == "Following filters are disabled in the config: timescale")
        await node.shutdown()
    }

    @Test func aFloodingSocketIsClosedAndOnlyThatOne() async throws {
        let node = try await NodeHarness()
        let flooder = try await node.socket()
        let calm = try await node.socket()
        let flood = OpReader(flooder)
        let quiet = OpReader(calm)
        _ = await flood.nextOp("ready")
        let calmID = try #require(await quiet.nextOp("ready")?["sessionId"] as? String)
        for index in 0..<2000 { flooder.sendText("{\"spam\":\(index)}") }
        // Generous: under the main pass's load on two cores even setting up took seconds.
        let code = await flood.waitForClose(timeout: 20)
        #expect(code == 1008, "the flooding socket \(flood.ended ? "ended without a close code" : "was still open after 20 s")")
        #expect(!quiet.ended)
        let stillServed = try await node.request(.GET, "/v4/sessions/\(calmID)/players")
        #expect(stillServed.status == 200)
        calm.sendPing()
        try await Task.sleep(for: .milliseconds(200))
        #expect(!quiet.ended)
        await node.shutdown()
    }
}
