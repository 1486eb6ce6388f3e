import Foundation

/// CPU and memory readings of this process (and its reaped children) from the kernel.
///
/// CPU comes from getrusage, so it counts every thread of the process; RUSAGE_CHILDREN adds
/// the ffmpeg children of the subprocess baseline once they have been waited for.
struct ProcessStats {
    var selfCPU: Double
    var childrenCPU: Double
    var rssBytes: Int

    static func now() -> ProcessStats {
        ProcessStats(selfCPU: cpu(RUSAGE_SELF.rawValue), childrenCPU: cpu(RUSAGE_CHILDREN.rawValue), rssBytes: residentBytes())
    }

    var totalCPU: Double { selfCPU + childrenCPU }

    private static func cpu(_ who: Int32) -> Double {
        var usage = rusage()
        getrusage(who, &usage)
        func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// Resident set size from /proc/self/statm (pages × page size).
    static func residentBytes(pid: Int32? = nil) -> Int {
        let path = pid.map { "/proc/\($0)/statm" } ?? "/proc/self/statm"
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return 0 }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE)))
    }
}
