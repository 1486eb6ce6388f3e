/// `GET /metrics` when `metrics.prometheus.enabled`: the `stats` figures under Lavalink's own
/// metric names (`LavalinkStatsCollector` in Lavalink 4), so a dashboard or alert written for a
/// Lavalink node reads a Cadence node unchanged. Like Lavalink's, the scrape carries no frame
/// figures: those are per-minute rates whose reference point belongs to the `stats` op.
/// Anonymous, as in Lavalink: the scraper sends no password.
enum PrometheusText {
    /// Prometheus text exposition (version 0.0.4) of one `stats` snapshot.
    static func render(_ stats: JSONValue) -> String {
        let memory = stats["memory"], cpu = stats["cpu"]
        let gauges: [(name: String, help: String, value: JSONValue?)] = [
            ("lavalink_players_total", "Total number of players connected.", stats["players"]),
            ("lavalink_playing_players_total", "Number of players currently playing audio.", stats["playingPlayers"]),
            ("lavalink_uptime_milliseconds", "Uptime of the node in milliseconds.", stats["uptime"]),
            ("lavalink_memory_free_bytes", "Memory statistics in bytes. (Free)", memory?["free"]),
            ("lavalink_memory_used_bytes", "Memory statistics in bytes. (Used: resident set size)", memory?["used"]),
            ("lavalink_memory_allocated_bytes", "Memory statistics in bytes. (Allocated: the memory limit)", memory?["allocated"]),
            ("lavalink_memory_reservable_bytes", "Memory statistics in bytes. (Reservable)", memory?["reservable"]),
            ("lavalink_cpu_cores", "CPU statistics. (Cores)", cpu?["cores"]),
            ("lavalink_cpu_system_load_percentage", "CPU statistics. (System Load, 0-1)", cpu?["systemLoad"]),
            ("lavalink_cpu_lavalink_load_percentage", "CPU statistics. (Node Load, 0-1)", cpu?["lavalinkLoad"])
        ]
        return gauges.map { gauge in
            "# HELP \(gauge.name) \(gauge.help)\n# TYPE \(gauge.name) gauge\n\(gauge.name) \(number(gauge.value))\n"
        }.joined()
    }

    /// A sample's value; a figure with nothing to measure (no player playing) is 0.
    private static func number(_ value: JSONValue?) -> String {
        switch value {
        case let .int(int): String(int)
        case let .double(double) where double.isFinite: "\(double)"
        default: "0"
        }
    }
}
