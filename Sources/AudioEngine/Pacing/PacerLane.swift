import Synchronization

/// One track's seat at the pacer: its ring, its sink, its schedule and its statistics.
///
/// Control flags are atomics set by the player from any thread; everything else is touched
/// only by the pacer thread, except `stats`, which the pacer updates under a lock once per
/// tick so readers get a consistent snapshot.
public final class PacerLane: @unchecked Sendable {
    /// Pacer-side lifecycle of a lane.
    enum Phase: Equatable {
        case playing
        /// Sending the 5 silence frames that end a burst; `thenPause` decides what follows.
        case silenceTail(remaining: Int, thenPause: Bool)
        case paused
        case finished
    }

    /// What the lane tells its player, from the pacer thread. Must not block.
    public enum Event: Sendable, Equatable {
        case firstFrame
        /// The first frame of the track with this ordinal was sent (the first track too); the
        /// track before it ended at `previousEndMs` of its own timeline.
        case track(UInt32, previousEndMs: Int64)
        case finished
    }

    public let ring: FrameRing
    public let sink: any FrameSink
    /// When true, an empty ring waits for the decoder instead of counting a nulled tick.
    /// Used for unpaced (`--fast`) runs, where time is virtual.
    let waitsForData: Bool
    let onEvent: @Sendable (Event) -> Void

    // Set by the player.
    let pauseRequested = Atomic<Bool>(false)
    let stopRequested = Atomic<Bool>(false)
    /// Stop without the silence tail, because another track takes over the sink at once.
    let stopImmediately = Atomic<Bool>(false)
    let producerFinished = Atomic<Bool>(false)
    /// Samples of silence padding at the end of the producer's last frame (see `FrameSink.audioEnded`).
    let endPadding = Atomic<Int>(0)
    let minimumGeneration = Atomic<UInt32>(0)
    /// Position (ms) of the last frame the sink received; -1 before the first.
    let lastPosition = Atomic<Int64>(-1)

    // Pacer thread only.
    var phase: Phase = .playing
    var scheduleStart: UInt64 = 0
    /// The pacer's grid shifted to this lane's phase (see `Pacer`), set when the lane is added.
    var gridOrigin: UInt64 = 0
    /// Which phase of the grid (0..<Pacer.slotsPerTick); set under the pacer's lane lock.
    var slot = 0
    var tick: UInt64 = 0
    var speaking = false
    var started = false
    var track: UInt32?
    var audioEndReported = false
    var waitingForData = false
    /// Optional per-frame deviation log for the benchmark (µs), preallocated by the caller.
    let deviationLog: UnsafeMutableBufferPointer<Int32>?
    var deviationLogCount = 0

    let statistics = Mutex(PacingStats())

    public init(
        ring: FrameRing, sink: any FrameSink, waitsForData: Bool = false,
        deviationLogCapacity: Int = 0,
        onEvent: @escaping @Sendable (Event) -> Void = { _ in }
    ) {
        self.ring = ring
        self.sink = sink
        self.waitsForData = waitsForData
        self.onEvent = onEvent
        deviationLog = deviationLogCapacity > 0 ? .allocate(capacity: deviationLogCapacity) : nil
    }

    deinit { deviationLog?.deallocate() }

    /// A snapshot of the lane's counters and deviation histogram.
    public var stats: PacingStats { statistics.withLock { $0 } }

    /// Position (ms) of the last frame sent, or nil before the first.
    public var positionMs: Int64? {
        let value = lastPosition.load(ordering: .acquiring)
        return value < 0 ? nil : value
    }

    /// The deviations (µs) of every frame sent so far, if a log was requested. Read it after
    /// the lane finished.
    public var deviationsMicroseconds: [Int32] {
        guard let log = deviationLog else { return [] }
        return Array(log[0..<min(deviationLogCount, log.count)])
    }

    public var isFinished: Bool { finishedFlag.load(ordering: .acquiring) }
    let finishedFlag = Atomic<Bool>(false)

    // MARK: Player controls

    func requestPause(_ paused: Bool) { pauseRequested.store(paused, ordering: .releasing) }
    func requestStop(immediately: Bool = false) {
        if immediately { stopImmediately.store(true, ordering: .releasing) }
        stopRequested.store(true, ordering: .releasing)
    }
    /// The producer pushed its last frame: once the ring is empty the lane ends its burst with
    /// silence and finishes. For producers other than the engine's own decoder.
    public func markProducerFinished() { producerFinished.store(true, ordering: .releasing) }

    /// Like `markProducerFinished`, saying how many samples of the last frame are padding.
    func markProducerFinished(paddingSamples: Int) {
        endPadding.store(paddingSamples, ordering: .relaxed)
        producerFinished.store(true, ordering: .releasing)
    }
    func discardFramesBefore(generation: UInt32) { minimumGeneration.store(generation, ordering: .releasing) }
}
