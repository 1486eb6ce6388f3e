import AudioEngine
import CadenceTestSupport
import Foundation
import Synchronization
import Testing

/// The ring hands every frame from one thread to another exactly once, in order, whatever the
/// interleaving. `make tsan` runs this suite under ThreadSanitizer.
@Suite("Frame ring stress")
struct FrameRingStressTests {
    static var frameCount: Int {
        ProcessInfo.processInfo.environment["CADENCE_RING_STRESS_FRAMES"].flatMap(Int.init) ?? 10_000_000
    }

    @Test("10 million frames in random bursts arrive once each, in order")
    func framesArriveOnceInOrder() async throws {
        let total = Self.frameCount
        let ring = FrameRing(capacity: 250)
        let done = Atomic<Bool>(false)

        let producer = Thread {
            var generator = SystemRandomNumberGenerator()
            var next: UInt64 = 0
            while next < UInt64(total) {
                let burst = UInt64.random(in: 1...64, using: &generator)
                var sent: UInt64 = 0
                while sent < burst, next < UInt64(total) {
                    // Frame length varies with the index, so a torn or mixed-up copy shows.
                    let length = 8 + Int(next % 24)
                    let pushed = withUnsafeTemporaryAllocation(byteCount: length, alignment: 8) { buffer in
                        buffer.storeBytes(of: next, as: UInt64.self)
                        for i in 8..<length { buffer[i] = UInt8(truncatingIfNeeded: next &+ UInt64(i)) }
                        return ring.push(UnsafeRawBufferPointer(buffer), positionMs: Int64(next))
                    }
                    if pushed { next += 1; sent += 1 } else { sched_yield() }
                }
                if Bool.random(using: &generator) { sched_yield() }
            }
            done.store(true, ordering: .releasing)
        }
        producer.start()

        // The consumer runs on a thread of its own, like the pacer, not on the task pool.
        let (expected, mismatches) = try await Tools.onThread { () -> (UInt64, Int) in
            var expected: UInt64 = 0
            var mismatches = 0
            var generator = SystemRandomNumberGenerator()
            while expected < UInt64(total) {
                let burst = Int.random(in: 1...64, using: &generator)
                for _ in 0..<burst {
                    let got = ring.pop { frame, position in
                        let value = frame.load(as: UInt64.self)
                        var intact = value == expected && position == Int64(expected) && frame.count == 8 + Int(expected % 24)
                        for i in 8..<frame.count where frame[i] != UInt8(truncatingIfNeeded: expected &+ UInt64(i)) {
                            intact = false
                        }
                        if !intact { mismatches += 1 }
                        expected = value + 1
                    }
                    if !got { break }
                }
                if ring.count == 0 { sched_yield() }
                if mismatches > 0 { break }
            }
            return (expected, mismatches)
        }
        #expect(mismatches == 0, "a frame was lost, repeated, reordered or torn near \(expected)")
        #expect(expected == UInt64(total))
        while !done.load(ordering: .acquiring) { sched_yield() }
        #expect(ring.count == 0)
    }

    @Test("a full ring refuses frames until the consumer takes one")
    func fullRingRefuses() {
        let ring = FrameRing(capacity: 3)
        let frame: [UInt8] = [1, 2, 3]
        for index in 0..<3 { #expect(frame.withUnsafeBytes { ring.push($0, positionMs: Int64(index)) }) }
        #expect(!frame.withUnsafeBytes { ring.push($0, positionMs: 3) })
        var popped: Int64 = -1
        #expect(ring.pop { _, position in popped = position })
        #expect(popped == 0)
        #expect(frame.withUnsafeBytes { ring.push($0, positionMs: 3) })
    }

    @Test("frames of an older generation are dropped after a seek")
    func olderGenerationsAreDropped() {
        let ring = FrameRing(capacity: 8)
        let frame: [UInt8] = [9]
        for index in 0..<4 { frame.withUnsafeBytes { _ = ring.push($0, positionMs: Int64(index), generation: 0) } }
        frame.withUnsafeBytes { _ = ring.push($0, positionMs: 30_000, generation: 1) }
        #expect(ring.peekPosition(minimumGeneration: 1) == 30_000)
        var popped: Int64 = -1
        #expect(ring.pop(minimumGeneration: 1) { _, position in popped = position })
        #expect(popped == 30_000)
        #expect(ring.count == 0)
    }
}
