import CadenceBot
import CadenceTestSupport
import DiscordSim
import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The optional loopback health endpoint while the bot plays: /healthz says the gateway is up,
/// /metrics shows the frames sent growing and the player in Prometheus text.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotHealthEndpointTimingTests {
    static func get(_ port: Int, _ path: String) async throws -> (status: Int, body: String) {
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    static func value(_ name: String, in text: String) -> Int? {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ").last ?? "") }
    }

    @Test func healthzAndMetricsReportAPlayingGuild() async throws {
        let harness = try await BotHarness.start(toneSeconds: 6, healthPort: 0)
        defer { Task { await harness.shutdown() } }
        let port = try #require(harness.service.healthEndpointPort)
        _ = await harness.command("play", [.init("query", .string(harness.toneURL))])
        _ = await harness.voice.waitUntil(timeout: 10) { ($0.streamsInOrder.last?.audioFrames ?? 0) >= 50 }
        try await Task.sleep(for: .milliseconds(2_200))  // the figures refresh every 2 s
        let health = try await Self.get(port, "/healthz")
        #expect(health.status == 200 && health.body == "ok\n")
        let metrics = try await Self.get(port, "/metrics")
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("# TYPE cadence_frames_sent gauge"))
        #expect(Self.value("cadence_players", in: metrics.body) == 1)
        let sent = try #require(Self.value("cadence_frames_sent", in: metrics.body))
        let heard = harness.voice.report().streamsInOrder.last?.packets ?? 0
        #expect(sent >= 50 && sent <= heard + 5, "metrics say \(sent) frames sent, the server received \(heard)")
        #expect(try await Self.get(port, "/other").status == 404)
    }
}
