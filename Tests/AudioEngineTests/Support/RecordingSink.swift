import AudioEngine
import Foundation
import Synchronization

/// A `FrameSink` that keeps every frame with its arrival time, as a voice server would see it.
final class RecordingSink: FrameSink {
    struct Frame: Sendable {
        let bytes: [UInt8]
        let arrivalNanoseconds: UInt64
        let speaking: Bool
    }

    private let frames = Mutex<[Frame]>([])
    private let speakingNow = Atomic<Bool>(false)
    private let speakingChanges = Mutex<[Bool]>([])
    let clock = MonotonicClock()
    /// When set, the sink stops taking frames after this many until `release()`, as a voice
    /// connection that dropped would: the pacer then holds the ring.
    private let gateAfter: Int?
    private let released = Atomic<Bool>(false)
    private let count = Atomic<Int>(0)

    init(gateAfter: Int? = nil) { self.gateAfter = gateAfter }

    var isReady: Bool {
        guard let gateAfter else { return true }
        return released.load(ordering: .acquiring) || count.load(ordering: .acquiring) < gateAfter
    }

    func release() { released.store(true, ordering: .releasing) }
    var frameCount: Int { count.load(ordering: .acquiring) }

    func send(opus: UnsafeRawBufferPointer) {
        let frame = Frame(
            bytes: Array(opus), arrivalNanoseconds: clock.now(),
            speaking: speakingNow.load(ordering: .relaxed))
        frames.withLock { $0.append(frame) }
        count.add(1, ordering: .releasing)
    }

    func setSpeaking(_ speaking: Bool) {
        speakingNow.store(speaking, ordering: .relaxed)
        speakingChanges.withLock { $0.append(speaking) }
    }

    var received: [Frame] { frames.withLock { $0 } }
    var speakingHistory: [Bool] { speakingChanges.withLock { $0 } }

    /// The frames that carry the track: everything except the 5-frame silence tails that end
    /// each burst (before a pause or at the end).
    var audioFrames: [[UInt8]] {
        received.map(\.bytes).filter { $0 != opusSilenceFrame }
    }
}
