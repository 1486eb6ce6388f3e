import AsyncHTTPClient
import CadenceTestSupport
import Foundation
import NIOCore
import NIOHTTP1
import Testing
import VoiceServerSim

/// Beyond Lavalink: a resumable session outlives a node restart. SIGTERM saves it; the next
/// process rejoins voice and plays on from where the track stood.
@Suite struct NodeRestartTimingTests {
    static func request(_ port: Int, _ method: HTTPMethod, _ path: String, _ json: String? = nil) async throws -> NodeHarness.Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        request.headers.add(name: "Authorization", value: NodeHarness.password)
        if let json { request.body = .bytes(ByteBuffer(string: json)) }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(20))
        let body = try await response.body.collect(upTo: 1 << 20)
        return NodeHarness.Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: body))
    }

    static func waitUntilServing(_ port: Int) async throws {
        for _ in 0..<200 {
            if let reply = try? await request(port, .GET, "/version"), reply.status == 200 { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw NodeProcess.Failure(description: "node did not come up on \(port)")
    }

    @Test func aResumableSessionsPlayerPlaysOnAfterSIGTERMAndRestartFromItsPosition() async throws {
        let binary = Tools.cadenceExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the cadence product first")
        let database = try Tools.temporaryDirectory("node-restart").appendingPathComponent("node.sqlite").path
        let port = try NodeProcess.freePort()
        let environment = ["CADENCE_DB": database]
        var configuration = VoiceServerSim.Configuration()
        configuration.requireDAVE = true
        configuration.channelID = NodeHarness.channelID
        let voice = VoiceServerSim(configuration: configuration)
        try await voice.start()
        let media = try await NodeFixtures.server("long.ogg", seconds: 30, frequency: 392)
        func heard() -> Int { voice.report(includeAudio: false).streams.reduce(0) { $0 + $1.audioFrames } }

        let first = try NodeProcess(port: port, environment: environment)
        try await Self.waitUntilServing(port)
        let socket = try await RawWebSocket.open(
            port: port,
            headers: [
                "Authorization": NodeHarness.password, "User-Id": NodeHarness.userID, "Client-Name": "restart-test/1.0"
            ])
        let ops = OpReader(socket)
        let sessionID = try #require(await ops.nextOp("ready")?["sessionId"] as? String)
        let player = "/v4/sessions/\(sessionID)/players/\(NodeHarness.guildID)"
        #expect(try await Self.request(port, .PATCH, "/v4/sessions/\(sessionID)", "{\"resuming\":true,\"timeout\":30}").status == 200)
        let joined = try await Self.request(
            port, .PATCH, player,
            """
            {"voice":{"token":"voice-token","endpoint":"\(voice.endpoint)","sessionId":"voice-session-1","channelId":"\(NodeHarness.channelID)"}}
            """)
        #expect(joined.status == 200)
        let query = media.url("long.ogg").addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let loaded = try await Self.request(port, .GET, "/v4/loadtracks?identifier=\(query)").object()
        let encoded = try #require((loaded["data"] as? [String: Any])?["encoded"] as? String)
        #expect(try await Self.request(port, .PATCH, player, "{\"track\":{\"encoded\":\"\(encoded)\"}}").status == 200)
        try await Task.sleep(for: .seconds(4))

        let heardBeforeStop = heard()
        let positionAtStop = Double(heardBeforeStop * 20)
        await first.terminate()
        #expect(first.exitStatus == 0)
        #expect(await ops.waitForClose(timeout: 2) == 1001)

        let restartedAt = Date()
        let second = try NodeProcess(port: port, environment: environment)
        try await Self.waitUntilServing(port)
        var back = false
        while Date().timeIntervalSince(restartedAt) < 10 {
            if heard() > heardBeforeStop + 10 {
                back = true
                break
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        let secondsToAudio = Date().timeIntervalSince(restartedAt)
        #expect(back, "no audio after the restart: \(second.log)")
        let framesSinceRestart = heard() - heardBeforeStop
        let state = try await Self.request(port, .GET, player).object()["state"] as? [String: Any]
        let position = try #require(state?["position"] as? Int)
        let resumedAt = Double(position) - Double(framesSinceRestart * 20)
        print(
            "restart: audio again \(String(format: "%.2f", secondsToAudio)) s after the new process started; "
                + "heard \(Int(positionAtStop)) ms before SIGTERM, went on from \(Int(resumedAt)) ms (Δ \(Int(resumedAt - positionAtStop)) ms)"
        )
        #expect(secondsToAudio < 5)
        #expect(abs(resumedAt - positionAtStop) < 1000)

        // The client comes back to its session, as after any socket loss.
        let again = try await RawWebSocket.open(
            port: port,
            headers: [
                "Authorization": NodeHarness.password, "User-Id": NodeHarness.userID, "Session-Id": sessionID
            ])
        #expect(again.handshake.headers["session-resumed"] == "true")
        let resumed = OpReader(again)
        #expect(await resumed.nextOp("ready")?["resumed"] as? Bool == true)
        _ = try await Self.request(port, .DELETE, player)
        await second.terminate()
        await media.shutdown()
        await voice.shutdown()
    }
}
