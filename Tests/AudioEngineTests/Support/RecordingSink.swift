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

    var isReady: Bool { true }

    func send(opus: UnsafeRawBufferPointer) {
        let frame = Frame(bytes: Array(opus), arrivalNanoseconds: clock.now(),
                          speaking: speakingNow.load(ordering: .relaxed))
        frames.withLock { $0.append(frame) }
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
