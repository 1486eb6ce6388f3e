import CadenceTestSupport
import Foundation
import Synchronization
import Testing

@testable import AudioEngine

/// The pacer sends frame n at start + n × 20 ms on the monotonic clock, even with the other
/// core busy, and pause/resume neither loses nor repeats a frame.
///
/// Real-time suite: `make test` runs suites named `…TimingTests` in a pass of their own, so
/// other tests' ffmpeg processes don't share the machine with it.
@Suite("Pacer timing", .serialized)
struct PacerTimingTests {
    @Test("1500 frames stay on their 20 ms grid with a busy core, across a pause, without drift")
    func pacesFramesWithoutDriftAcrossPause() async throws {
        let frameCount = 1500
        let sink = RecordingSink()
        let pacer = Pacer()
        defer { pacer.shutdown() }
        let lane = PacerLane(ring: FrameRing(capacity: 250), sink: sink)
        let hog = CPUHog()
        defer { hog.stop() }
        // The kernel's own real-time wake-ups, sampled over the same 30 s as the pacer.
        let kernel = Task { await TimerLatency.p99Milliseconds(wakeUps: 1_500) }

        let producer = Thread {
            for index in 0..<frameCount {
                var frame = [UInt8](repeating: 0xAB, count: 40)
                withUnsafeBytes(of: UInt32(index).bigEndian) { frame.replaceSubrange(0..<4, with: $0) }
                while !frame.withUnsafeBytes({ lane.ring.push($0, positionMs: Int64(index) * 20) }) {
                    usleep(2_000)
                }
            }
            lane.markProducerFinished()
        }
        producer.start()
        pacer.add(lane)

        try await Task.sleep(for: .seconds(10))
        lane.requestPause(true)
        try await Task.sleep(for: .milliseconds(400))
        lane.requestPause(false)
        pacer.poke()
        while !lane.isFinished { try await Task.sleep(for: .milliseconds(100)) }

        let frames = sink.received
        let indices = frames.filter { $0.bytes != opusSilenceFrame }.map { frame in
            frame.bytes.prefix(4).reduce(0) { $0 << 8 | Int($1) }
        }
        #expect(indices == Array(0..<frameCount), "every frame once, in order")
        // Two bursts (before and after the pause), each ended by exactly 5 silence frames.
        #expect(frames.count(where: { $0.bytes == opusSilenceFrame }) == 10)
        #expect(sink.speakingHistory == [true, false, true, false])

        // Deviation of each frame from its slot on the burst's 20 ms grid, measured on arrival
        // at the sink. When the host stalls the pacer for a whole period, the lane skips the
        // missed slot by design (no burst of late packets) and the frames after it go out one
        // slot later; measuring them against their old slot would count that one stall on
        // every later frame. So a frame a whole period late moves to the next slot, as in the
        // lane, and the skips are counted apart.
        var deviations: [Double] = []
        var skippedSlots = 0
        var drifts: [Double] = []
        for burst in Self.bursts(frames) {
            let (early, _) = Self.slotDeviations(burst, start: Double(burst[0].arrivalNanoseconds))
            let (burstDeviations, skips) = Self.slotDeviations(
                burst, start: Double(burst[0].arrivalNanoseconds) + min(0, early.min()!) * 1e6)
            deviations += burstDeviations
            skippedSlots += skips
            // Sleeping 20 ms from each wake-up instead of to an absolute deadline drifts a
            // little every frame: the end of the burst sits later on the grid than its start.
            let edge = min(100, burstDeviations.count / 3)
            drifts.append(Self.median(burstDeviations.suffix(edge)) - Self.median(burstDeviations.prefix(edge)))
        }
        deviations.sort()
        let p99 = deviations[Int(Double(deviations.count - 1) * 0.99)]
        let p50 = deviations[deviations.count / 2]
        // The 1 ms p99 target is the benchmark's (`make bench`, on a quiet machine). Here, on a
        // shared CI VM with the other core busy, the bar is what a broken pacer would miss and a
        // listener would hear: a quarter of a frame over this machine's own real-time wake-up
        // p99 (a pacer on a coarse timer or a polling loop lands well past it).
        let floor = await kernel.value
        print(
            "pacer: \(frames.count) frames, deviation p50 \(p50) ms, p99 \(p99) ms, max \(deviations.last!) ms, "
                + "\(skippedSlots) slots skipped after stalls, drift per burst \(drifts.map { String(format: "%.3f", $0) }) ms; "
                + "the kernel's own wake-up p99 here \(String(format: "%.3f", floor)) ms")
        // A skip follows a stall of a whole period; more than a few in 30 s is the pacer's fault.
        #expect(skippedSlots <= 3, "\(skippedSlots) slots skipped")
        #expect(p99 < 5.0 + floor, "p99 deviation \(p99) ms, max \(deviations.last!) ms, kernel floor \(floor) ms")
        #expect(lane.stats.deviationMilliseconds(atPercentile: 99) < 5.0 + floor)
        #expect(drifts.allSatisfy { abs($0) < 1.0 }, "drift \(drifts) ms across a burst")
        #expect(lane.stats.sent == frameCount + 10)
    }

    /// Each frame's deviation (ms) from its slot start + (index + skips) × 20 ms, where a frame
    /// 20 ms or more behind its slot moves on to the next one, as the lane re-bases.
    static func slotDeviations(_ burst: [RecordingSink.Frame], start: Double) -> ([Double], Int) {
        var skips = 0
        let deviations = burst.enumerated().map { index, frame in
            var deviation = Double(frame.arrivalNanoseconds) - start - Double(index + skips) * 20e6
            while deviation >= 20e6 {
                skips += 1
                deviation -= 20e6
            }
            return deviation / 1e6
        }
        return (deviations, skips)
    }

    static func median<C: Collection<Double>>(_ values: C) -> Double {
        let sorted = values.sorted()
        return sorted[sorted.count / 2]
    }

    /// Splits the frames where the sink stopped speaking.
    static func bursts(_ frames: [RecordingSink.Frame]) -> [[RecordingSink.Frame]] {
        var result: [[RecordingSink.Frame]] = [[]]
        for (index, frame) in frames.enumerated() {
            result[result.count - 1].append(frame)
            let endsBurst =
                frame.bytes == opusSilenceFrame && index + 1 < frames.count
                && frames[index + 1].bytes != opusSilenceFrame
            if endsBurst { result.append([]) }
        }
        return result
    }
}

/// Keeps one core busy, as a second busy guild or a build would.
final class CPUHog: Sendable {
    private let running = Atomic<Bool>(true)

    init() {
        let thread = Thread { [self] in
            var x: UInt64 = 1
            while self.running.load(ordering: .relaxed) { x = x &* 6_364_136_223_846_793_005 &+ 1 }
            _ = x
        }
        thread.start()
    }

    func stop() { running.store(false, ordering: .relaxed) }
}
