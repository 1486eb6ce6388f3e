import Foundation
import Synchronization
import Testing

@testable import AudioEngine

/// Every lane of a pacer sends on one shared 20 ms grid, so one wake-up serves them all; a lane
/// that falls behind sends one frame per wake-up and skips missed slots instead of bursting.
/// Runs on a `VirtualClock`: the times are exact, and nothing waits.
@Suite("Pacer grid")
struct PacerGridTests {
    @Test("Lanes that join between ticks send only on the pacer's grid")
    func lanesJoinTheSharedGrid() async throws {
        let origin: UInt64 = 1_000_000_000
        let clock = VirtualClock(start: origin)
        let pacer = Pacer(clock: clock)
        defer { pacer.shutdown() }

        // One after the other, so the test alone moves the clock between tracks.
        var sinks: [VirtualTimeSink] = []
        for joinOffset: UInt64 in [7_000_000, 13_000_000] {
            clock.advance(by: joinOffset)  // off the grid on purpose
            let sink = VirtualTimeSink(clock: clock)
            let lane = PacerLane(ring: Self.ring(frames: 10), sink: sink)
            lane.markProducerFinished()
            pacer.add(lane)
            while !lane.isFinished { try await Task.sleep(for: .milliseconds(5)) }
            sinks.append(sink)
        }

        for sink in sinks {
            let times = sink.sendTimes
            #expect(times.count == 10 + 5, "10 frames and the 5-frame silence tail")
            #expect(times.allSatisfy { ($0 - origin) % 20_000_000 == 0 }, "send times \(times.map { $0 - origin })")
            #expect(zip(times, times.dropFirst()).allSatisfy { $1 - $0 == 20_000_000 })
        }
    }

    @Test("A lane woken 65 ms late sends one frame, counts the skipped slots as deficit and loses nothing")
    func lateWakeUpSkipsInsteadOfBursting() {
        let clock = VirtualClock(start: 0)
        let sink = VirtualTimeSink(clock: clock)
        let lane = PacerLane(ring: Self.ring(frames: 6), sink: sink)
        lane.start(at: 0)

        lane.service(now: 0, clock: clock)
        #expect(sink.frames.isEmpty, "the burst's first tick only announces speaking")
        clock.advance(by: 20_000_000)
        lane.service(now: clock.now(), clock: clock)
        #expect(sink.frames.count == 1)

        clock.advance(by: 65_000_000)  // slots at 40, 60 and 80 ms are all due now
        lane.service(now: clock.now(), clock: clock)
        #expect(sink.frames.count == 2, "one frame per wake-up, not a catch-up burst")
        #expect(lane.stats.deficit == 2, "the slots at 40 and 60 ms were skipped")

        clock.advance(by: 15_000_000)  // 100 ms: the next slot, on time
        lane.service(now: clock.now(), clock: clock)
        #expect(sink.frames.count == 3)
        #expect(sink.frames.map { $0[0] } == [0, 1, 2], "skipping a slot delays the frames, it drops none")
        #expect(lane.stats.deficit == 2)
    }

    @Test("Speaking is announced one tick before a burst's first frame, so no packet waits for op 5")
    func speakingLeadsTheFirstFrameByOneTick() {
        let clock = VirtualClock(start: 0)
        let sink = VirtualTimeSink(clock: clock)
        let lane = PacerLane(ring: Self.ring(frames: 3), sink: sink)
        lane.markProducerFinished()
        lane.start(at: 0)
        for tick in 0..<10 {
            lane.service(now: UInt64(tick) * 20_000_000, clock: clock)
            clock.advance(by: 20_000_000)
        }
        #expect(sink.speakingTimes.first == 0)
        #expect(sink.sendTimes.first == 20_000_000)
        #expect(sink.frames.count == 3 + 5, "3 frames and the silence tail")
    }

    /// A ring holding `frames` 3-byte frames whose first byte is their index.
    static func ring(frames: Int) -> FrameRing {
        let ring = FrameRing(capacity: max(2, frames))
        for index in 0..<frames {
            let frame: [UInt8] = [UInt8(index), 0xAA, 0xBB]
            frame.withUnsafeBytes { _ = ring.push($0, positionMs: Int64(index) * 20) }
        }
        return ring
    }
}

/// A sink that notes the virtual time of every frame.
final class VirtualTimeSink: FrameSink {
    let clock: VirtualClock
    private let log = Mutex<[(time: UInt64, bytes: [UInt8])]>([])

    init(clock: VirtualClock) { self.clock = clock }

    var isReady: Bool { true }
    func send(opus: UnsafeRawBufferPointer) {
        let time = clock.now()
        log.withLock { $0.append((time, Array(opus))) }
    }
    private let speakingLog = Mutex<[UInt64]>([])
    func setSpeaking(_ speaking: Bool) {
        let time = clock.now()
        if speaking { speakingLog.withLock { $0.append(time) } }
    }

    /// When speaking was turned on.
    var speakingTimes: [UInt64] { speakingLog.withLock { $0 } }
    var sendTimes: [UInt64] { log.withLock { $0.map(\.time) } }
    var frames: [[UInt8]] { log.withLock { $0.map(\.bytes) } }
}
