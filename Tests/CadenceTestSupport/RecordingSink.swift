import AudioEngine
import Foundation
import Synchronization

/// A `FrameSink` that keeps every frame with its arrival time, as a voice server would see it.
///
/// Shared by the engine's suites and the bot's: both check what reached the wire, not what a
/// stand-in was told.
public final class RecordingSink: FrameSink {
    public struct Frame: Sendable {
        public let bytes: [UInt8]
        public let arrivalNanoseconds: UInt64
        public let speaking: Bool
    }

    private let frames = Mutex<[Frame]>([])
    private let speakingNow = Atomic<Bool>(false)
    private let speakingChanges = Mutex<[Bool]>([])
    public let clock = MonotonicClock()
    /// How many frames the sink takes before it stops, as a voice connection that dropped
    /// would: the pacer then holds the ring. `Int.max` when ungated.
    private let limit: Atomic<Int>
    private let count = Atomic<Int>(0)
    private let yieldsWhileHeld: Bool

    /// - Parameters:
    ///   - gateAfter: stop taking frames after this many, until `release()` or `allow(upTo:)`.
    ///   - yieldsWhileHeld: a pacer on a `VirtualClock` asks a held sink again at once, in a
    ///     loop that takes a whole core; this makes each refusal wait 0.2 ms instead, for tests
    ///     that hold a sink for long (the frames and their order are unchanged).
    public init(gateAfter: Int? = nil, yieldsWhileHeld: Bool = false) {
        limit = Atomic(gateAfter ?? .max)
        self.yieldsWhileHeld = yieldsWhileHeld
    }

    public var isReady: Bool {
        let ready = count.load(ordering: .acquiring) < limit.load(ordering: .acquiring)
        if !ready, yieldsWhileHeld { usleep(200) }
        return ready
    }

    /// Takes every frame from now on.
    public func release() { limit.store(.max, ordering: .releasing) }
    /// Takes frames until `total` have arrived (counting those already taken), then holds again.
    public func allow(upTo total: Int) { limit.store(total, ordering: .releasing) }
    public var frameCount: Int { count.load(ordering: .acquiring) }

    public func send(opus: UnsafeRawBufferPointer) {
        let frame = Frame(
            bytes: Array(opus), arrivalNanoseconds: clock.now(),
            speaking: speakingNow.load(ordering: .relaxed))
        frames.withLock { $0.append(frame) }
        count.add(1, ordering: .releasing)
    }

    public func setSpeaking(_ speaking: Bool) {
        speakingNow.store(speaking, ordering: .relaxed)
        speakingChanges.withLock { $0.append(speaking) }
    }

    public var received: [Frame] { frames.withLock { $0 } }
    public var speakingHistory: [Bool] { speakingChanges.withLock { $0 } }

    /// The frames that carry the track: everything except the 5-frame silence tails that end
    /// each burst (before a pause or at the end).
    public var audioFrames: [[UInt8]] {
        received.map(\.bytes).filter { $0 != opusSilenceFrame }
    }
}
