import Foundation
import Testing

/// `metrics.prometheus.enabled`: the node's figures as Prometheus text under Lavalink's metric
/// names, served without a password at the configured endpoint, and absent otherwise.
@Suite struct NodePrometheusMetricsTests {
    /// Every sample of the exposition, by metric name; each sample line has a HELP and a TYPE.
    static func samples(_ text: String) -> [String: Double] {
        var samples: [String: Double] = [:]
        var described = Set<String>()
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ")
            if line.hasPrefix("# TYPE "), fields.count == 4, fields[3] == "gauge" { described.insert(String(fields[2])) }
            if !line.hasPrefix("#"), fields.count == 2, described.contains(String(fields[0])), let value = Double(fields[1]) {
                samples[String(fields[0])] = value
            }
        }
        return samples
    }

    @Test func aScraperReadsLavalinksGaugesWithoutAPassword() async throws {
        let node = try await NodeHarness {
            $0.prometheusEnabled = true
            $0.prometheusEndpoint = "/prom"
        }
        let before = try await node.request(.GET, "/prom", headers: [:])
        #expect(before.status == 200)
        #expect(before.headers.first(name: "Content-Type")?.hasPrefix("text/plain; version=0.0.4") == true)
        #expect(before.headers.first(name: "Lavalink-Api-Version") == "4")
        let empty = Self.samples(before.text)
        #expect(
            Set(empty.keys) == [
                "lavalink_players_total", "lavalink_playing_players_total", "lavalink_uptime_milliseconds",
                "lavalink_memory_free_bytes", "lavalink_memory_used_bytes", "lavalink_memory_allocated_bytes",
                "lavalink_memory_reservable_bytes", "lavalink_cpu_cores", "lavalink_cpu_system_load_percentage",
                "lavalink_cpu_lavalink_load_percentage"
            ])
        #expect(empty["lavalink_players_total"] == 0)
        #expect(empty["lavalink_cpu_cores"] == Double(ProcessInfo.processInfo.activeProcessorCount))
        // The same figures as the authorised /v4/stats: the resident set, not a guess.
        let stats = try await node.request(.GET, "/v4/stats").object()
        let used = try #require((stats["memory"] as? [String: Any])?["used"] as? Int)
        let scrapedUsed = try #require(empty["lavalink_memory_used_bytes"])
        #expect(abs(scrapedUsed - Double(used)) < Double(64 << 20), "scraped RSS \(scrapedUsed) vs stats \(used)")

        let ops = OpReader(try await node.socket())
        let id = try #require(await ops.nextOp("ready")?["sessionId"] as? String)
        #expect(try await node.request(.PATCH, "/v4/sessions/\(id)/players/\(NodeHarness.guildID)", json: "{}").status == 200)
        let after = Self.samples(try await node.request(.GET, "/prom", headers: [:]).text)
        #expect(after["lavalink_players_total"] == 1)
        #expect(after["lavalink_playing_players_total"] == 0)
        #expect((after["lavalink_uptime_milliseconds"] ?? 0) >= (empty["lavalink_uptime_milliseconds"] ?? .infinity))
        await node.shutdown()
    }

    @Test func withoutTheSettingThereIsNoEndpointAndEveryRouteStillNeedsThePassword() async throws {
        let node = try await NodeHarness()
        #expect(try await node.request(.GET, "/metrics", headers: [:]).status == 401)
        let authorised = try await node.request(.GET, "/metrics")
        #expect(authorised.status == 404)
        #expect(!authorised.text.contains("lavalink_players_total"))
        await node.shutdown()
    }
}
