import Foundation

extension ProcessStats {
    /// CPU seconds of this process's threads named `name` (from /proc/self/task/*/stat), so the
    /// in-process voice server's receive thread can be taken out of the client's bill.
    static func threadCPU(named name: String) -> Double { threadCPUByName()[name] ?? 0 }

    /// CPU seconds of this process's live threads, summed by thread name: where a scenario's
    /// CPU went (threads that have exited are not in it).
    static func threadCPUByName() -> [String: Double] {
        let tasks = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/task")) ?? []
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        var total: [String: Double] = [:]
        for task in tasks {
            guard let comm = try? String(contentsOfFile: "/proc/self/task/\(task)/comm", encoding: .utf8),
                let stat = try? String(contentsOfFile: "/proc/self/task/\(task)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after the command: state is field 3, utime 14, stime 15.
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { continue }
            total[comm.trimmingCharacters(in: .whitespacesAndNewlines), default: 0] += (user + system) / ticks
        }
        return total
    }

    /// The kernel's count of UDP datagrams dropped for a full receive buffer (/proc/net/snmp,
    /// `Udp: RcvbufErrors`): machine-wide, so other processes' drops are in it too.
    static func udpReceiveBufferErrors() -> Int {
        guard let text = try? String(contentsOfFile: "/proc/net/snmp", encoding: .utf8) else { return 0 }
        let rows = text.split(separator: "\n").filter { $0.hasPrefix("Udp: ") }.map { $0.split(separator: " ") }
        guard rows.count >= 2, let column = rows[0].firstIndex(of: "RcvbufErrors"), column < rows[1].count else { return 0 }
        return Int(rows[1][column]) ?? 0
    }

    /// The local server's receive thread (see VoiceServerSim's SimUDPReceiver).
    static func serverCPU() -> Double { threadCPU(named: "voice-sim.udp") }
}

/// Samples the peak resident memory of this process (plus children) while a scenario runs.
final class RSSSampler: @unchecked Sendable {
    private let lock = NSLock()
    private var peak = 0
    private var stopped = false
    private var children: [Int32] = []

    init() {
        let thread = Thread { [self] in
            while true {
                lock.lock()
                let done = stopped
                let pids = children
                lock.unlock()
                if done { return }
                let now = ProcessStats.residentBytes() + pids.reduce(0) { $0 + ProcessStats.residentBytes(pid: $1) }
                lock.lock()
                peak = max(peak, now)
                lock.unlock()
                Thread.sleep(forTimeInterval: 0.25)
            }
        }
        thread.start()
    }

    func track(children pids: [Int32]) {
        lock.lock()
        children = pids
        lock.unlock()
    }

    /// Stops sampling and returns the peak in bytes.
    func stop() -> Int {
        lock.lock()
        defer { lock.unlock() }
        stopped = true
        return peak
    }
}
