import Synchronization

/// A bounded, lock-free, single-producer/single-consumer ring of encoded Opus frames.
///
/// The decoder thread is the only producer and the pacer thread the only consumer. Slots are
/// preallocated once, so pushing and popping never allocate or lock: the two sides only
/// exchange two monotonically increasing indices with acquire/release ordering.
///
/// Each frame carries the position (ms) it starts at and a `generation`: a seek bumps the
/// generation, and the consumer drops frames of older generations, so a seek "drains" the ring
/// without the producer ever touching the consumer's index.
public final class FrameRing: @unchecked Sendable {
    /// Largest Opus packet (RFC 6716: 1275 bytes for 20 ms, doubled for safety).
    public static let maxFrameBytes = 2560

    public let capacity: Int
    private let storage: UnsafeMutableRawBufferPointer
    private let lengths: UnsafeMutableBufferPointer<Int>
    private let positions: UnsafeMutableBufferPointer<Int64>
    private let generations: UnsafeMutableBufferPointer<UInt32>
    private let tracks: UnsafeMutableBufferPointer<UInt32>
    private let head = Atomic<Int>(0)  // next slot the producer writes
    private let tail = Atomic<Int>(0)  // next slot the consumer reads
    /// The consumer takes no frame at or past this sequence number while the producer cuts
    /// the ring there (see `cut(atLeast:)`); `Int.max` otherwise.
    private let fence = Atomic<Int>(.max)
    /// The sequence number of the frame the consumer is reading, or -1: the other half of
    /// the fence's handshake.
    private let reading = Atomic<Int>(-1)

    /// `capacity` frames of 20 ms; the default 250 holds 5 s of audio.
    public init(capacity: Int = 250) {
        self.capacity = max(2, capacity)
        storage = .allocate(byteCount: self.capacity * Self.maxFrameBytes, alignment: 16)
        lengths = .allocate(capacity: self.capacity)
        positions = .allocate(capacity: self.capacity)
        generations = .allocate(capacity: self.capacity)
        tracks = .allocate(capacity: self.capacity)
        tracks.initialize(repeating: 0)
        lengths.initialize(repeating: 0)
        positions.initialize(repeating: 0)
        generations.initialize(repeating: 0)
    }

    deinit {
        storage.deallocate()
        lengths.deallocate()
        positions.deallocate()
        generations.deallocate()
        tracks.deallocate()
    }

    /// Frames waiting to be consumed (a snapshot; either side may move it right after).
    public var count: Int { head.load(ordering: .acquiring) - tail.load(ordering: .acquiring) }

    /// Producer side: copies `frame` into the next slot. Returns false when the ring is full
    /// or the frame is too large; the caller decides whether to wait.
    @discardableResult
    public func push(_ frame: UnsafeRawBufferPointer, positionMs: Int64, generation: UInt32 = 0, track: UInt32 = 0)
        -> Bool
    {
        let h = head.load(ordering: .relaxed)
        guard h - tail.load(ordering: .acquiring) < capacity, frame.count <= Self.maxFrameBytes else {
            return false
        }
        let slot = h % capacity
        let destination = storage.baseAddress! + slot * Self.maxFrameBytes
        if let source = frame.baseAddress, frame.count > 0 {
            destination.copyMemory(from: source, byteCount: frame.count)
        }
        lengths[slot] = frame.count
        positions[slot] = positionMs
        generations[slot] = generation
        tracks[slot] = track
        head.store(h + 1, ordering: .releasing)
        return true
    }

    /// Consumer side: hands the oldest frame of at least `minimumGeneration` to `body` and
    /// frees its slot afterwards; older-generation frames are dropped on the way.
    /// Returns false when no such frame is waiting.
    @discardableResult
    public func pop(
        minimumGeneration: UInt32 = 0,
        _ body: (_ frame: UnsafeRawBufferPointer, _ positionMs: Int64) -> Void
    ) -> Bool {
        popFrame(minimumGeneration: minimumGeneration) { frame, position, _ in body(frame, position) }
    }

    /// Consumer side: like `pop`, also giving the ordinal of the track the frame belongs to.
    @discardableResult
    public func popFrame(
        minimumGeneration: UInt32 = 0,
        _ body: (_ frame: UnsafeRawBufferPointer, _ positionMs: Int64, _ track: UInt32) -> Void
    ) -> Bool {
        var t = tail.load(ordering: .relaxed)
        while true {
            // Announce the slot before looking at the fence; the producer's cut does the
            // mirror image, so one of the two always sees the other (Dekker's handshake).
            reading.store(t, ordering: .sequentiallyConsistent)
            guard t < fence.load(ordering: .sequentiallyConsistent), t < head.load(ordering: .acquiring) else {
                reading.store(-1, ordering: .releasing)
                return false
            }
            let slot = t % capacity
            if generations[slot] >= minimumGeneration {
                body(
                    UnsafeRawBufferPointer(
                        start: storage.baseAddress! + slot * Self.maxFrameBytes,
                        count: lengths[slot]), positions[slot], tracks[slot])
                tail.store(t + 1, ordering: .releasing)
                reading.store(-1, ordering: .releasing)
                return true
            }
            t += 1
            tail.store(t, ordering: .releasing)
        }
    }

    /// Sequence number of the next frame the consumer takes.
    var consumedSequence: Int { tail.load(ordering: .acquiring) }

    /// Producer side: sequence number of the next frame `push` writes.
    var nextSequence: Int { head.load(ordering: .relaxed) }

    /// Producer side: takes back every frame from sequence `earliest` on (or later, if the
    /// consumer got there first) that the consumer has not started to read, and returns the
    /// sequence number the next `push` writes at. Frames before it stay and play as they are.
    /// Used to re-render what is buffered under new settings without a gap.
    func cut(atLeast earliest: Int) -> Int {
        let h = head.load(ordering: .relaxed)
        var point = min(earliest, h)
        while true {
            fence.store(point, ordering: .sequentiallyConsistent)
            let busy = reading.load(ordering: .sequentiallyConsistent)
            let consumed = tail.load(ordering: .sequentiallyConsistent)
            let needed = max(consumed, busy + 1)
            if needed <= point { break }
            point = min(needed, h)
            if point == h { break }
        }
        // The consumer cannot pass `point` until the fence lifts, and the fence lifts only
        // after the head moved back, so it never reads a slot being rewritten.
        head.store(point, ordering: .releasing)
        fence.store(.max, ordering: .sequentiallyConsistent)
        return point
    }

    /// Consumer side: the position of the next frame that `pop` would return, without taking it.
    public func peekPosition(minimumGeneration: UInt32 = 0) -> Int64? {
        var t = tail.load(ordering: .relaxed)
        let h = min(head.load(ordering: .acquiring), fence.load(ordering: .acquiring))
        while t < h {
            let slot = t % capacity
            if generations[slot] >= minimumGeneration { return positions[slot] }
            t += 1
        }
        return nil
    }
}
