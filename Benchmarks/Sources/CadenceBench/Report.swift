import Foundation

/// The table `make bench` prints (and keeps as results/latest.md), and the targets of issue 4
/// checked against the run's own figures.
struct Report {
    var results: [ScenarioResult]
    var lines: [String] = []

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    func table() -> String {
        var out =
            "| scenario | N | dev p50 | p99 | p99.9 | max ms | arr. jitter p50/p99 ms | max gap ms | burst | sent | nulled | deficit | CPU s/stream-min | RSS MB/stream | 1st pkt ms |\n"
        out += "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n"
        for r in results {
            out +=
                "| \(r.name) | \(r.streams) | "
                + String(
                    format: "%.3f | %.3f | %.3f | %.3f | %.3f / %.3f | %.1f | %d | %d | %d | %d | %.3f | %.2f | %.1f |",
                    r.deviationP50, r.deviationP99, r.deviationP999, r.deviationMax, r.arrivalP50, r.arrivalP99,
                    r.longestGapMs, r.longestBurst, r.sent, r.nulled, r.deficit, r.cpuSecondsPerStreamMinute,
                    r.rssMBPerStream, r.firstPacketP50Ms) + "\n"
        }
        let notes = results.filter { !$0.note.isEmpty }.map { "- \($0.name): \($0.note)" }
        return out + (notes.isEmpty ? "" : "\n" + notes.joined(separator: "\n") + "\n")
    }

    func find(_ prefix: String) -> ScenarioResult? { results.first { $0.name.hasPrefix(prefix) } }

    /// One line per target: figure, limit, met or missed. Missing scenarios say so.
    func targets() -> [String] {
        var out: [String] = []
        func check(_ label: String, _ value: Double?, _ limit: Double, unit: String = "") {
            guard let value else {
                out.append("- \(label): not measured")
                return
            }
            out.append(
                "- \(label): " + String(format: "%.3f", value) + "\(unit) (limit " + String(format: "%.3g", limit)
                    + "\(unit)) — " + (value <= limit ? "MET" : "MISSED"))
        }
        check("pacing p99 at N=10", find("cadence transcode N=10 ")?.deviationP99, 0.5, unit: " ms")
        check("pacing p99 at N=100", find("cadence transcode N=100 ")?.deviationP99, 1.0, unit: " ms")
        let cadence = results.filter { $0.name.hasPrefix("cadence") }
        check("largest inter-packet gap (all Cadence scenarios)", cadence.map(\.longestGapMs).max(), 40, unit: " ms")
        check("longest catch-up burst (all Cadence scenarios)", cadence.map { Double($0.longestBurst) }.max(), 2)
        check("deficit at N=100 transcoding", find("cadence transcode N=100 ").map { Double($0.deficit) }, 0)
        check(
            "deficit with many passthrough streams",
            results.first { $0.name.hasPrefix("cadence passthrough") && $0.streams > 1 }.map { Double($0.deficit) }, 0)
        for n in [1, 10, 100] {
            if let c = find("cadence transcode N=\(n) "), let a = find("baseline (a) ffmpeg child N=\(n) ") {
                check(
                    "CPU per transcoded stream vs baseline (a) at N=\(n)", c.cpuSecondsPerStreamMinute / a.cpuSecondsPerStreamMinute, 0.85,
                    unit: "×")
            }
        }
        if let c = find("cadence transcode N=1 "), let floor = find("libopus floor") {
            check(
                "CPU per transcoded stream vs libopus floor (N=1)", c.cpuSecondsPerStreamMinute / floor.cpuSecondsPerStreamMinute, 1.15,
                unit: "×")
        }
        if let c = find("cadence transcode N=100 "), let floor = find("libopus floor") {
            check(
                "CPU per transcoded stream vs libopus floor (N=100)", c.cpuSecondsPerStreamMinute / floor.cpuSecondsPerStreamMinute, 1.15,
                unit: "×")
        }
        if let p = find("cadence passthrough N=1 "), let t = find("cadence transcode N=1 ") {
            check("passthrough CPU / transcoding CPU", p.cpuSecondsPerStreamMinute / t.cpuSecondsPerStreamMinute, 0.05, unit: "×")
        }
        check("RSS per extra stream (N=100 transcoding)", find("cadence transcode N=100 ")?.rssMBPerStream, 1.5, unit: " MB")
        check("time to first packet, local MP3 (N=1)", find("cadence transcode N=1 ")?.firstPacketMaxMs, 150, unit: " ms")
        for n in [10, 100] {
            if let node = find("cadence node REST N=\(n) "), let overhead = node.nodeOverheadPercent {
                check("node CPU overhead vs in-process players at N=\(n)", overhead, 5, unit: " %")
            }
        }
        return out
    }

    /// Cadence's figures over baseline (a)'s at the same N, then the node beside in-process
    /// players and the published figures of Lavalink and NodeLink.
    func ratios() -> [String] {
        baselineRatios() + nodeRatios()
    }

    /// Published figures (/work/shared/docs/lavalink-v4.md §5): songbird #185 for Lavalink's CPU,
    /// NodeLink's README for its memory. Not measured here.
    private func nodeRatios() -> [String] {
        [10, 100].compactMap { n -> String? in
            guard let node = find("cadence node REST N=\(n) "), node.sent > 0, let local = node.comparedCPUSecondsPerStreamMinute else {
                return nil
            }
            // % of one core per stream = CPU s per stream-minute / 60 s × 100.
            let core = { (cpu: Double) in cpu / 60 * 100 }
            return "- N=\(n), node / in-process (DAVE on, best of 2 each): "
                + String(
                    format:
                        "CPU %.3f vs %.3f s/stream-min, overhead %+.1f %% (target ≤ 5 %%); %.2f %% vs %.2f %% of one core per stream "
                        + "(Lavalink published ≈ 1.1 %%); RSS %.2f MB per player vs %.2f in-process (NodeLink published 4–15 MB per player)",
                    node.cpuSecondsPerStreamMinute, local, node.nodeOverheadPercent ?? 0, core(node.cpuSecondsPerStreamMinute), core(local),
                    node.rssMBPerStream, node.comparedRSSMBPerStream ?? 0)
        }
    }

    private func baselineRatios() -> [String] {
        [("(a)", "baseline (a) ffmpeg child"), ("(b)", "baseline (b) discord.py")].flatMap { label, prefix in
            [1, 10, 100].compactMap { n -> String? in
                guard let c = find("cadence transcode N=\(n) "), let a = find("\(prefix) N=\(n) "), a.sent > 0 else { return nil }
                return "- N=\(n), Cadence / baseline \(label): "
                    + String(
                        format: "CPU %.2f×, RSS %.2f×, p99 send deviation %.2f×, first packet %.2f×",
                        c.cpuSecondsPerStreamMinute / a.cpuSecondsPerStreamMinute, c.rssMBPerStream / max(a.rssMBPerStream, 1e-9),
                        c.deviationP99 / max(a.deviationP99, 1e-9), c.firstPacketP50Ms / max(a.firstPacketP50Ms, 1e-9))
            }
        }
    }
}
