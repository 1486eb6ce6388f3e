import Foundation
import Testing

/// Lavalink's resume: a resumable session plays on while its client is away, queues events,
/// and replays them in order when the client comes back with `Session-Id`.
@Suite struct NodeSessionResumeTimingTests {
    @Test func aResumedSessionGetsItsQueuedEventsInOrderAndTheAudioNeverStopped() async throws {
        let node = try await NodeHarness()
        let media = try await NodeFixtures.server("long.ogg", seconds: 20, frequency: 523)
        let session = try await VoicePlayback.start(node: node)
        let configured = try await node.request(.PATCH, "/v4/sessions/\(session.sessionID)", json: "{\"resuming\":true,\"timeout\":10}")
        #expect(configured.status == 200)
        let settings = try configured.object()
        #expect(settings["resuming"] as? Bool == true && settings["timeout"] as? Int == 10)
        _ = try await session.joinVoice()
        let encoded = try #require(try await session.load(media.url("long.ogg"))["encoded"] as? String)
        _ = try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\"}}")
        #expect(await session.ops.nextEvent("TrackStartEvent") != nil)
        try await Task.sleep(for: .seconds(1))

        session.socket.drop()
        let framesWhenDropped = session.heardFrames
        let dropped = Date()
        // While away: a replace (TrackEnd replaced, TrackStart) and a volume change.
        let replaced = try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\"},\"position\":3000}")
        #expect(replaced.status == 200)
        try await Task.sleep(for: .seconds(1))
        let framesWhileAway = session.heardFrames - framesWhenDropped
        let awayMs = Date().timeIntervalSince(dropped) * 1000

        let again = try await node.socket(sessionID: session.sessionID)
        #expect(again.handshake.headers["session-resumed"] == "true")
        let ops = OpReader(again)
        let ready = try #require(await ops.next())
        #expect(ready["op"] as? String == "ready")
        #expect(ready["resumed"] as? Bool == true)
        #expect(ready["sessionId"] as? String == session.sessionID)
        let first = try #require(await ops.next { $0["op"] as? String == "event" })
        let second = try #require(await ops.next { $0["op"] as? String == "event" })
        #expect(first["type"] as? String == "TrackEndEvent" && first["reason"] as? String == "replaced")
        #expect(second["type"] as? String == "TrackStartEvent")
        #expect(await ops.nextOp("playerUpdate", timeout: 2) != nil)
        try await Task.sleep(for: .milliseconds(500))
        let report = session.voice.report(includeAudio: false)
        let stream = try #require(report.streams.first)
        print(
            "resume: \(framesWhileAway) frames heard in the \(Int(awayMs)) ms the client was away; longest gap \(Int(stream.longestGapMs)) ms (the replace)"
        )
        // Audio went on while the client was away; the one short gap is the replace itself.
        #expect(Double(framesWhileAway) >= awayMs / 20 * 0.75)
        #expect(stream.longestGapMs < 250)
        _ = try await session.patch("{\"track\":{\"encoded\":null}}")
        await session.shutdown()
        await media.shutdown()
        await node.shutdown()
    }

    @Test func aResumableSessionThatDoesNotComeBackIsDestroyedAfterItsTimeout() async throws {
        let node = try await NodeHarness()
        let socket = try await node.socket()
        let ops = OpReader(socket)
        let id = try #require(await ops.nextOp("ready")?["sessionId"] as? String)
        _ = try await node.request(.PATCH, "/v4/sessions/\(id)", json: "{\"resuming\":true,\"timeout\":1}")
        _ = try await node.request(.PATCH, "/v4/sessions/\(id)/players/1", json: "{}")
        socket.drop()
        try await Task.sleep(for: .milliseconds(400))
        #expect(try await node.request(.GET, "/v4/sessions/\(id)/players").status == 200)
        try await Task.sleep(for: .milliseconds(1200))
        #expect(try await node.request(.GET, "/v4/sessions/\(id)/players").status == 404)
        // Too late: a new session, not a resumed one.
        let late = try await node.socket(sessionID: id)
        #expect(late.handshake.headers["session-resumed"] == "false")
        await node.shutdown()
    }
}
