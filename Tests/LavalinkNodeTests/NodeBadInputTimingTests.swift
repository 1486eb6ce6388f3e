import Foundation
import Testing

/// Hostile or broken requests: each gets Lavalink's error JSON within a second, and another
/// session is served meanwhile. A timing suite (the 1 s bar is wall time), so it runs in
/// the node's timing pass rather than beside the main pass's parallel load on two cores.
@Suite struct NodeBadInputTimingTests {
    struct Case: Sendable, CustomStringConvertible {
        var name: String
        var body: Data
        var path: String?
        var status: Int
        var message: String?
        var description: String { name }
    }

    static let guild = NodeHarness.guildID

    static func cases(media: String?) -> [Case] {
        var cases = [
            Case(name: "malformed JSON", body: Data("{\"volume\": ".utf8), status: 400, message: nil),
            Case(name: "not an object", body: Data("[1,2]".utf8), status: 400, message: nil),
            Case(name: "wrong type", body: Data("{\"volume\": \"loud\"}".utf8), status: 400, message: nil),
            Case(name: "paused as a number", body: Data("{\"paused\": 1}".utf8), status: 400, message: nil),
            Case(name: "volume -1", body: Data("{\"volume\": -1}".utf8), status: 400, message: "Volume must be between 0 and 1000"),
            Case(name: "volume 1001", body: Data("{\"volume\": 1001}".utf8), status: 400, message: "Volume must be between 0 and 1000"),
            Case(name: "endTime 0", body: Data("{\"endTime\": 0}".utf8), status: 400, message: "End time must be greater than 0"),
            Case(
                name: "track and encodedTrack", body: Data("{\"track\": {}, \"encodedTrack\": null}".utf8), status: 400,
                message: "Cannot specify both track and encodedTrack/identifier"),
            Case(
                name: "voice without channelId", body: Data("{\"voice\": {\"token\":\"t\",\"endpoint\":\"e\",\"sessionId\":\"s\"}}".utf8),
                status: 400, message: "token, endpoint, sessionId and channelId must be provided in voice state"),
            Case(name: "invalid base64", body: Data("{\"track\": {\"encoded\": \"!!!not base64!!!\"}}".utf8), status: 500, message: nil),
            Case(name: "truncated track", body: Data("{\"track\": {\"encoded\": \"QAAAjQIA\"}}".utf8), status: 500, message: nil),
            Case(
                name: "a million equalizer bands",
                body: Data(
                    ("{\"filters\": {\"equalizer\": ["
                        + Array(repeating: "{\"band\":0,\"gain\":0}", count: 1_000_000)
                        .joined(separator: ",") + "]}}").utf8), status: 413, message: nil),
            Case(
                name: "sixteen equalizer bands",
                body: Data(
                    ("{\"filters\": {\"equalizer\": ["
                        + (0..<16).map { "{\"band\":\($0 % 15),\"gain\":0}" }
                        .joined(separator: ",") + "]}}").utf8), status: 400, message: nil),
            Case(
                name: "band 15", body: Data("{\"filters\": {\"equalizer\": [{\"band\":15,\"gain\":0}]}}".utf8), status: 400,
                message: "Equalizer band must be between 0 and 14"),
            Case(
                name: "2 MB body", body: Data(("{\"x\":\"" + String(repeating: "a", count: 2 << 20) + "\"}").utf8), status: 413,
                message: nil),
            Case(name: "deep nesting", body: Data((String(repeating: "[", count: 100_000)).utf8), status: 400, message: nil),
            Case(name: "unknown player id", body: Data("{}".utf8), path: "/v4/sessions/%@/players/notanumber", status: 400, message: nil),
            Case(
                name: "unknown session", body: Data("{}".utf8), path: "/v4/sessions/0000000000000000/players/1", status: 404,
                message: "Session not found")
        ]
        if let media {
            cases.append(
                Case(
                    name: "position past the end",
                    body: Data("{\"track\": {\"identifier\": \"\(media)\"}, \"position\": 999999}".utf8), status: 400, message: nil))
        }
        return cases
    }

    @Test func eachBadRequestGetsLavalinkErrorJSONWithinASecondWhileAnotherSessionIsServed() async throws {
        let node = try await NodeHarness()
        let media = try await NodeFixtures.server("short.ogg", seconds: 2)
        let victim = OpReader(try await node.socket())
        let other = OpReader(try await node.socket())
        let victimID = try #require(await victim.nextOp("ready")?["sessionId"] as? String)
        let otherID = try #require(await other.nextOp("ready")?["sessionId"] as? String)
        // The other session keeps asking for its players the whole time.
        let served = Task {
            var answers = 0, slowestAnswer = 0.0
            while !Task.isCancelled {
                let start = Date()
                if let reply = try? await node.request(.GET, "/v4/sessions/\(otherID)/players"), reply.status == 200 {
                    answers += 1
                    slowestAnswer = max(slowestAnswer, Date().timeIntervalSince(start))
                }
                try? await Task.sleep(for: .milliseconds(20))
            }
            return (answers, slowestAnswer)
        }
        var slowest = 0.0
        for item in Self.cases(media: media.url("short.ogg")) {
            let path =
                item.path.map { $0.replacingOccurrences(of: "%@", with: victimID) } ?? "/v4/sessions/\(victimID)/players/\(Self.guild)"
            let start = Date()
            let reply = try await node.request(.PATCH, path, body: item.body)
            let elapsed = Date().timeIntervalSince(start)
            slowest = max(slowest, elapsed)
            #expect(reply.status == item.status, "\(item): \(reply.text.prefix(200))")
            #expect(elapsed < 1, "\(item) took \(elapsed) s")
            let body = try reply.object()
            #expect(body["status"] as? Int == item.status, "\(item)")
            #expect(body["path"] as? String == path.removingPercentEncoding ?? path, "\(item)")
            #expect(body["message"] is String && body["timestamp"] is Int && body["error"] is String, "\(item)")
            if let message = item.message { #expect(body["message"] as? String == message, "\(item)") }
        }
        served.cancel()
        let (answers, slowestAnswer) = await served.value
        print(
            "bad input: slowest error answer \(String(format: "%.3f", slowest)) s; other session served \(answers) times meanwhile, "
                + "slowest in \(String(format: "%.3f", slowestAnswer)) s")
        // How many times depends only on how fast the bad requests were answered; that
        // it was answered at all while the bad ones were being refused is the point.
        #expect(answers >= 1)
        // The victim's player was never changed by any of these (a failed PATCH applies nothing).
        let player = try await node.request(.GET, "/v4/sessions/\(victimID)/players")
        #expect(player.status == 200)
        let list = try #require(try player.json() as? [[String: Any]])
        #expect(list.allSatisfy { $0["volume"] as? Int == 100 && $0["track"] is NSNull })
        await media.shutdown()
        await node.shutdown()
    }
}
