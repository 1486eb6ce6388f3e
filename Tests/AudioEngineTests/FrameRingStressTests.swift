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
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 32, alignment: 8)
            defer { buffer.deallocate() }
            var next: UInt64 = 0
            while next < UInt64(total) {
                let burst = UInt64.random(in: 1...64, using: &generator)
                var sent: UInt64 = 0
                while sent < burst, next < UInt64(total) {
                    // The index at the head and its complement at the tail of a frame whose
                    // length varies with the index: a torn or mixed-up copy cannot match both.
                    let length = 16 + Int(next % 16)
                    buffer.storeBytes(of: next, as: UInt64.self)
                    buffer.storeBytes(of: ~next, toByteOffset: length - 8, as: UInt64.self)
                    if ring.push(UnsafeRawBufferPointer(rebasing: buffer[0..<length]), positionMs: Int64(next)) {
                        next += 1
                        sent += 1
                    } else {
                        sched_yield()
                    }
                }
                // Now and then give the consumer the core, so both full and empty rings occur;
                // not every burst, as a busy machine makes each yield cost a whole time slice.
                if UInt8.random(in: 0...255, using: &generator) == 0 { sched_yield() }
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
                        let value = frame.loadUnaligned(as: UInt64.self)
                        let intact =
                            value == expected && position == Int64(expected)
                            && frame.count == 16 + Int(expected % 16)
                            && frame.loadUnaligned(fromByteOffset: frame.count - 8, as: UInt64.self) == ~expected
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
