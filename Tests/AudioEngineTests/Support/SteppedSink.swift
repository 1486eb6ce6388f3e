import AudioEngine
import Synchronization

/// Takes frames only up to `limit`, which the test raises: the pacer holds the ring meanwhile,
/// so each change lands at a known frame however fast the machine is.
final class SteppedSink: FrameSink {
    private let frames = Mutex<[[UInt8]]>([])
    private let limit = Atomic<Int>(0)
    var isReady: Bool { frames.withLock { $0.count } < limit.load(ordering: .acquiring) }
    func send(opus: UnsafeRawBufferPointer) { frames.withLock { $0.append(Array(opus)) } }
    func setSpeaking(_ speaking: Bool) {}
    func sendSilence(opus: UnsafeRawBufferPointer) {}
    func allow(_ count: Int) { limit.store(count, ordering: .releasing) }
    var received: [[UInt8]] { frames.withLock { $0 } }
}
