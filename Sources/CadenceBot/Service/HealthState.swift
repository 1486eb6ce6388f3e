import Synchronization

/// The figures /healthz and /metrics serve, refreshed by the service's housekeeping loop so
/// the HTTP handler never waits on a player.
package final class HealthState: Sendable {
    package struct Snapshot: Sendable, Equatable {
        package var gatewayConnected = false
        package var storeOK = false
        package var players = 0
        package var framesSent = 0
        package var framesNulled = 0
        package var framesDeficit = 0
        package var recoveries = 0
        package var gatewayResumes = 0
        package init() {}
    }

    private let current = Mutex(Snapshot())

    package init() {}

    package var snapshot: Snapshot { current.withLock { $0 } }
    func replace(_ snapshot: Snapshot) { current.withLock { $0 = snapshot } }
    func update(_ change: (inout Snapshot) -> Void) { current.withLock { change(&$0) } }

    /// 200 "ok" when the gateway is connected and the store opened, else 503 with the reason.
    package var healthz: (status: Int, body: String) {
        let snapshot = snapshot
        if !snapshot.gatewayConnected { return (503, "gateway disconnected\n") }
        if !snapshot.storeOK { return (503, "store unavailable\n") }
        return (200, "ok\n")
    }

    /// Prometheus text exposition (version 0.0.4).
    package var metricsText: String {
        let s = snapshot
        let rows: [(String, String, String, Int)] = [
            // Figures of the tracks playing now: they restart with each track, so gauges, not counters.
            ("cadence_frames_sent", "gauge", "Opus frames sent for the current tracks", s.framesSent),
            ("cadence_frames_nulled", "gauge", "Ticks with no frame ready (current tracks)", s.framesNulled),
            ("cadence_frames_deficit", "gauge", "Frames the pacer fell behind by (current tracks)", s.framesDeficit),
            ("cadence_players", "gauge", "Guild players with a voice connection", s.players),
            ("cadence_recoveries", "gauge", "Decoder restarts after faults (current tracks)", s.recoveries),
            ("cadence_gateway_resumes", "counter", "Gateway sessions resumed", s.gatewayResumes),
            ("cadence_gateway_connected", "gauge", "1 while the gateway session is up", s.gatewayConnected ? 1 : 0)
        ]
        return rows.map { "# HELP \($0.0) \($0.2)\n# TYPE \($0.0) \($0.1)\n\($0.0) \($0.3)\n" }.joined()
    }
}
