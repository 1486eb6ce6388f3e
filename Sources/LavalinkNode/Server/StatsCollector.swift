import Foundation
import Synchronization

/// The `stats` figures, read from the kernel rather than guessed: `memory.used` is the RSS,
/// `allocated` and `reservable` the memory limit (cgroup, else RAM), loads from /proc deltas.
package final class StatsCollector: Sendable {
    private struct CPUSample {
        var at = ContinuousClock.now
        var systemBusy: UInt64 = 0
        var systemTotal: UInt64 = 0
        var processTicks: UInt64 = 0
        var systemLoad = 0.0
        var processLoad = 0.0
    }

    /// The previous reading; the first is taken at start, so the first `stats` covers the uptime.
    private let last: Mutex<CPUSample>

    package init() { last = Mutex(Self.read()) }

    package func snapshot(context: NodeContext, includeFrames: Bool) async -> JSONValue {
        var playing = 0
        var frames: [(sent: Int, nulled: Int, deficit: Int)] = []
        var total = 0
        for session in await context.sessions.all {
            for player in await session.allPlayers() {
                total += 1
                if await player.isPlaying { playing += 1 }
                if includeFrames, let sample = await player.sampleFrames() { frames.append(sample) }
            }
        }
        let rss = Self.residentBytes()
        let limit = Self.memoryLimit()
        let (systemLoad, processLoad) = loads()
        var members: [String: JSONValue] = [
            "players": .int(Int64(total)),
            "playingPlayers": .int(Int64(playing)),
            "uptime": .int(Int64(Date().timeIntervalSince(context.startedAt) * 1000)),
            "memory": ["free": .int(max(0, limit - rss)), "used": .int(rss), "allocated": .int(limit), "reservable": .int(limit)],
            "cpu": [
                "cores": .int(Int64(ProcessInfo.processInfo.activeProcessorCount)),
                "systemLoad": .double(systemLoad), "lavalinkLoad": .double(processLoad)
            ]
        ]
        if includeFrames {
            if frames.isEmpty {
                members["frameStats"] = .null
            } else {
                let count = frames.count
                members["frameStats"] = [
                    "sent": .int(Int64(frames.map(\.sent).reduce(0, +) / count)),
                    "nulled": .int(Int64(frames.map(\.nulled).reduce(0, +) / count)),
                    "deficit": .int(Int64(frames.map(\.deficit).reduce(0, +) / count))
                ]
            }
        }
        return .object(members)
    }

    /// Fractions 0…1 since the previous reading, which is kept for a second at least so that
    /// two ops in a row do not report a meaningless instant.
    private func loads() -> (Double, Double) {
        let previous = last.withLock { $0 }
        if ContinuousClock.now - previous.at < .seconds(1) { return (previous.systemLoad, previous.processLoad) }
        var now = Self.read()
        let totalDelta = Double(now.systemTotal &- previous.systemTotal)
        now.systemLoad = totalDelta > 0 ? Double(now.systemBusy &- previous.systemBusy) / totalDelta : 0
        // /proc/stat's total counts every core's ticks, so this is process CPU ÷ cores.
        now.processLoad = totalDelta > 0 ? min(1, Double(now.processTicks &- previous.processTicks) / totalDelta) : 0
        last.withLock { $0 = now }
        return (now.systemLoad, now.processLoad)
    }

    private static func read() -> CPUSample {
        var sample = CPUSample()
        if let stat = try? String(contentsOfFile: "/proc/stat", encoding: .utf8), let line = stat.split(separator: "\n").first {
            let values = line.split(separator: " ").dropFirst().compactMap { UInt64($0) }
            sample.systemTotal = values.reduce(0, +)
            let idle = values.count > 4 ? values[3] + values[4] : 0
            sample.systemBusy = sample.systemTotal - idle
        }
        if let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8), let close = stat.lastIndex(of: ")") {
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            // After the name: state is field 3, utime 14 and stime 15.
            if fields.count > 12, let user = UInt64(fields[11]), let system = UInt64(fields[12]) {
                sample.processTicks = user + system
            }
        }
        return sample
    }

    static func residentBytes() -> Int64 {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int64(fields[1]) else { return 0 }
        return pages * Int64(sysconf(Int32(_SC_PAGESIZE)))
    }

    static func memoryLimit() -> Int64 {
        if let text = try? String(contentsOfFile: "/sys/fs/cgroup/memory.max", encoding: .utf8),
            let value = Int64(text.trimmingCharacters(in: .whitespacesAndNewlines))
        {
            return value
        }
        return Int64(ProcessInfo.processInfo.physicalMemory)
    }
}
