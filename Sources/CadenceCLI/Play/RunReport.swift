import AudioEngine
import Foundation

/// The figures of a playback run: what `--stats-json` writes and the closing stats line shows.
struct RunReport {
    struct Track {
        enum Outcome { case finished, failed(EngineError) }
        var source: String
        var outcome: Outcome
        var durationMs: Int64
        var rssKilobytes: Int
    }

    var stats = PacingStats()
    var cpuSeconds = 0.0
    var recoveries = 0
    var tracks: [Track] = []
    /// With `--resolve`: yt-dlp runs (worker or one-shot) and cache hits.
    var resolutions: (ytdlpCalls: Int, cacheHits: Int)?

    var firstError: EngineError? {
        for track in tracks { if case let .failed(error) = track.outcome { return error } }
        return nil
    }

    /// Audio played, ms: where each track's last frame ended.
    var durationMs: Int64 { tracks.reduce(0) { $0 + $1.durationMs } }

    var summaryLine: String {
        let p50 = stats.deviationMilliseconds(atPercentile: 50), p99 = stats.deviationMilliseconds(atPercentile: 99)
        return "frames sent \(stats.sent) · nulled \(stats.nulled) · deficit \(stats.deficit) · "
            + "pacing p50 \(Self.ms(p50)) p99 \(Self.ms(p99)) max \(Self.ms(stats.maxDeviationMilliseconds)) ms · "
            + "cpu \(String(format: "%.2f", cpuSeconds)) s"
    }

    func json() throws -> Data {
        var object: [String: Any] = [
            "frames_sent": stats.sent,
            "frames_nulled": stats.nulled,
            "frames_deficit": stats.deficit,
            "pacing_p50_ms": stats.deviationMilliseconds(atPercentile: 50),
            "pacing_p99_ms": stats.deviationMilliseconds(atPercentile: 99),
            "pacing_max_ms": stats.maxDeviationMilliseconds,
            "cpu_seconds": cpuSeconds,
            "duration_ms": durationMs,
            "recoveries": recoveries,
            "tracks": tracks.map { track -> [String: Any] in
                var entry: [String: Any] = [
                    "source": track.source, "rss_kb": track.rssKilobytes,
                    "duration_ms": track.durationMs
                ]
                if case let .failed(error) = track.outcome { entry["error"] = error.description }
                return entry
            }
        ]
        if let resolutions {
            object["resolver"] = ["ytdlp_calls": resolutions.ytdlpCalls, "cache_hits": resolutions.cacheHits]
        }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    private static func ms(_ value: Double) -> String { String(format: "%.3f", value) }
}

/// Process figures read from the kernel.
enum ProcessUsage {
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec)
            + Double(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6
    }

    /// Resident set size from /proc/self/statm.
    static func residentKilobytes() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
    }
}

/// The one-line progress display: name, bar, elapsed / total.
enum ProgressBar {
    static func line(name: String, positionMs: Int64, durationMs: Int64?) -> String {
        let width = 30
        let fraction = durationMs.map { $0 > 0 ? min(1, Double(positionMs) / Double($0)) : 0 } ?? 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let total = durationMs.map(clock) ?? "--:--"
        return "\(name.prefix(32)) [\(bar)] \(clock(positionMs)) / \(total)"
    }

    static func clock(_ ms: Int64) -> String {
        let seconds = max(0, ms) / 1000
        return String(format: "%02d:%02d", seconds / 60, seconds % 60)
    }
}
