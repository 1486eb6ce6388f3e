import AudioEngine
import Foundation
import Histogram

// `make bench`: pacing scenarios on the real monotonic clock. Later issues add the voice
// server, transcoding and the FFmpeg-subprocess baseline; this first cut measures the pacer
// alone, with N lanes of frames already in memory.

/// A sink that only counts; the pacer's own deviation log is what this scenario measures.
final class NullSink: FrameSink {
    var isReady: Bool { true }
    func send(opus: UnsafeRawBufferPointer) {}
    func setSpeaking(_ speaking: Bool) {}
}

struct PacerScenario {
    let lanes: Int
    let seconds: Int

    func run() -> (histogram: Histogram<UInt64>, stats: PacingStats, cpu: Double) {
        let frames = seconds * 50
        let pacer = Pacer()
        let before = ProcessStats.now()
        let payload = [UInt8](repeating: 0x55, count: 160)
        var all: [PacerLane] = []
        for _ in 0..<lanes {
            let lane = PacerLane(ring: FrameRing(capacity: frames + 1), sink: NullSink(), deviationLogCapacity: frames + 10)
            for index in 0..<frames { payload.withUnsafeBytes { _ = lane.ring.push($0, positionMs: Int64(index) * 20) } }
            lane.markProducerFinished()
            all.append(lane)
            pacer.add(lane)
        }
        Thread.sleep(forTimeInterval: Double(seconds) + 0.3)
        pacer.shutdown()
        let cpu = ProcessStats.now().selfCPU - before.selfCPU
        var histogram = Histogram<UInt64>(highestTrackableValue: 1_000_000, numberOfSignificantValueDigits: .three)
        var stats = PacingStats()
        for lane in all {
            for micros in lane.deviationsMicroseconds { histogram.record(UInt64(max(0, micros))) }
            stats.merge(lane.stats)
        }
        return (histogram, stats, cpu)
    }
}

print("scenario                      frames  nulled deficit   p50 ms   p99 ms p99.9 ms   max ms  cpu s")
for lanes in [1, 10, 100] {
    let (histogram, stats, cpu) = PacerScenario(lanes: lanes, seconds: 10).run()
    func ms(_ q: Double) -> String { String(format: "%8.3f", Double(histogram.valueAtPercentile(q)) / 1000) }
    print(String(format: "pacer only, %3d lanes         ", lanes)
        + String(format: "%6d  %6d  %6d ", stats.sent, stats.nulled, stats.deficit)
        + "\(ms(50)) \(ms(99)) \(ms(99.9)) " + String(format: "%8.3f  %5.2f", Double(histogram.max) / 1000, cpu))
}

let mls = try MLSBench.run()
func percentile(_ values: [Double], _ q: Double) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * q))] }
print(String(format: "MLS, 25 members: commit (add+remove, path) p50 %.2f ms max %.2f ms; welcome join p50 %.2f ms max %.2f ms (target < 20 ms)",
             percentile(mls.commitMs, 0.5), mls.commitMs.max()!, percentile(mls.welcomeMs, 0.5), mls.welcomeMs.max()!))
