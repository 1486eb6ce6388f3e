import Foundation
import Histogram

/// The figures of one scenario, as the table, the JSON file and the chart need them.
struct ScenarioResult: Codable, Sendable {
    var name: String
    var streams: Int
    var seconds: Double
    /// Send deviation from the 20 ms schedule, ms.
    var deviationP50 = 0.0, deviationP99 = 0.0, deviationP999 = 0.0, deviationMax = 0.0
    /// Arrival jitter at the local server, ms: median of the streams' p50, worst stream's p99 and max.
    var arrivalP50 = 0.0, arrivalP99 = 0.0, arrivalMax = 0.0
    /// Longest gap between two packets of one stream at the server, ms.
    var longestGapMs = 0.0
    /// Longest run of packets sent less than 10 ms apart (a catch-up burst).
    var longestBurst = 0
    var serverPackets = 0
    var decryptFailures = 0
    var sent = 0, nulled = 0, deficit = 0
    /// Process CPU (+ reaped children), less the local server's receive thread, per stream-minute of audio.
    var cpuSecondsPerStreamMinute = 0.0
    /// Resident memory added per stream (children included for the subprocess baseline), MB.
    var rssMBPerStream = 0.0
    /// From the play request to the first packet handed to the sender, ms (median, worst).
    var firstPacketP50Ms = 0.0, firstPacketMaxMs = 0.0
    /// For a scenario measured beside another (the node beside in-process players): that one's
    /// CPU s per stream-minute and RSS MB per stream.
    var comparedCPUSecondsPerStreamMinute: Double?
    var comparedRSSMBPerStream: Double?
    var note = ""
    /// A sample of per-frame deviations (µs, one stream) for the chart; not written to JSON.
    var chartDeviations: [Double] = []

    enum CodingKeys: String, CodingKey {
        case name, streams, seconds, deviationP50, deviationP99, deviationP999, deviationMax
        case arrivalP50, arrivalP99, arrivalMax, longestGapMs, longestBurst, serverPackets, decryptFailures
        case sent, nulled, deficit, cpuSecondsPerStreamMinute, rssMBPerStream, firstPacketP50Ms, firstPacketMaxMs, note
        case comparedCPUSecondsPerStreamMinute, comparedRSSMBPerStream
    }

    /// (this − compared) / compared CPU, in %: the node's overhead over in-process players.
    var nodeOverheadPercent: Double? {
        comparedCPUSecondsPerStreamMinute.map { (cpuSecondsPerStreamMinute - $0) / max($0, 1e-9) * 100 }
    }

    /// Fills the deviation percentiles from per-stream logs (µs) and finds the longest catch-up burst.
    mutating func addDeviations(_ logs: [[Int32]]) {
        var histogram = Histogram<UInt64>(highestTrackableValue: 10_000_000, numberOfSignificantValueDigits: .three)
        for log in logs {
            for micros in log { histogram.record(UInt64(abs(Int64(micros)))) }
            longestBurst = max(longestBurst, Self.longestBurst(log))
        }
        guard histogram.totalCount > 0 else { return }
        deviationP50 = Double(histogram.valueAtPercentile(50)) / 1000
        deviationP99 = Double(histogram.valueAtPercentile(99)) / 1000
        deviationP999 = Double(histogram.valueAtPercentile(99.9)) / 1000
        deviationMax = Double(histogram.max) / 1000
        chartDeviations = (logs.max { $0.count < $1.count } ?? []).map { Double($0) }
    }

    /// Frame i is due at 20·i ms; its send time is that plus its deviation. A burst is a run of
    /// frames sent under 10 ms after the one before (1 means no burst).
    static func longestBurst(_ log: [Int32]) -> Int {
        var longest = log.isEmpty ? 0 : 1, run = 1
        for index in log.indices.dropFirst() {
            let gap = 20_000 + Int(log[index]) - Int(log[index - 1])
            run = gap < 10_000 ? run + 1 : 1
            longest = max(longest, run)
        }
        return longest
    }
}

/// A few order statistics without a histogram, for small per-stream lists.
extension Array where Element == Double {
    func percentile(_ q: Double) -> Double {
        guard !isEmpty else { return 0 }
        let sorted = self.sorted()
        return sorted[Swift.min(count - 1, Int(Double(count - 1) * q + 0.5))]
    }
}
