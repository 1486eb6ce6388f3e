import Synchronization

/// One voice connection's player: plays one track at a time into a `FrameSink`, paced by a
/// shared `Pacer`, and reports what happened through `events`.
///
/// Every control is safe from any thread or task and returns at once; the decoder and the
/// pacer threads do the work. Pause and resume lose and repeat no frame; a seek discards
/// what was buffered and the next frame starts within one frame of the target.
public final class Player: Sendable {
    public let sink: any FrameSink
    public let pacer: Pacer
    public let options: PlayerOptions
    /// Player events, in order. There is one stream per player; iterate it from one task.
    public let events: AsyncStream<PlayerEvent>
    private let continuation: AsyncStream<PlayerEvent>.Continuation
    private let current = Mutex<TrackSession?>(nil)
    private let volumeMilli: Atomic<Int>
    private let waitsForData: Bool
    private let deviationLogCapacity: Int

    /// - Parameters:
    ///   - unpaced: for offline runs on a `VirtualClock`: an empty ring waits for the decoder
    ///     instead of counting a nulled frame.
    ///   - deviationLogCapacity: keep every frame's pacing deviation, for the benchmark.
    public init(sink: any FrameSink, pacer: Pacer, options: PlayerOptions = PlayerOptions(),
                unpaced: Bool = false, deviationLogCapacity: Int = 0)
    {
        self.sink = sink
        self.pacer = pacer
        self.options = options
        self.waitsForData = unpaced
        self.deviationLogCapacity = deviationLogCapacity
        volumeMilli = Atomic(TrackControl.milli(options.volume))
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    deinit {
        current.withLock { $0?.end(.stopped) }
        continuation.finish()
    }

    /// Starts `source` (a path or any URL libavformat opens) at `startMs`, replacing the
    /// current track. Errors arrive as a `.failed` event.
    public func play(_ source: String, startMs: Int64 = 0) {
        play(TrackSource(location: source), startMs: startMs)
    }

    /// Starts a resolved source, which may carry HTTP headers and a way to refresh its URL.
    public func play(_ source: TrackSource, startMs: Int64 = 0) {
        var options = options
        options.volume = volume
        let continuation = continuation
        let session = TrackSession(
            source: source.location, options: options, sink: sink, waitsForData: waitsForData,
            deviationLogCapacity: deviationLogCapacity
        ) { session, event in
            switch event {
            case .firstFrame: continuation.yield(.started(source: session.source))
            case .finished:
                session.watchdog.withLock { $0?.cancel() }
                if let final = session.finalEvent() { continuation.yield(final) }
            }
        }
        let previous = current.withLock { slot in
            defer { slot = session }
            return slot
        }
        previous?.end(.replaced)
        let decoder = TrackDecoder(
            source: source, startMs: max(0, startMs), ring: session.ring, control: session.control,
            encoderSettings: .init(bitrate: options.bitrate, complexity: options.complexity),
            paced: !waitsForData
        ) { [weak session] error in session?.producerExited(error) }
        if startMs > 0 { session.lane.lastPosition.store(startMs, ordering: .releasing) }
        decoder.start()
        session.watchdog.withLock {
            $0 = StuckWatchdog(lane: session.lane, threshold: options.stuckThreshold) { [weak session] in
                guard let session else { return }
                continuation.yield(.stuck(source: session.source))
                session.control.requestRestart()
            }
        }
        pacer.add(session.lane)
    }

    /// Stops the current track after a short silence; reports `.finished(.stopped)`.
    public func stop() { current.withLock { $0 }?.end(.stopped) }

    /// Pauses at a frame boundary; the ring keeps every frame not yet sent.
    public func pause() { current.withLock { $0 }?.lane.requestPause(true) }

    /// Resumes exactly where `pause` left off, on a fresh 20 ms schedule.
    public func resume() {
        current.withLock { $0 }?.lane.requestPause(false)
        pacer.poke()
    }

    /// Moves the current track to `milliseconds`. Frames already buffered are discarded.
    public func seek(toMs milliseconds: Int64) {
        guard let session = current.withLock({ $0 }) else { return }
        let generation = session.control.requestSeek(toMs: milliseconds)
        session.lane.discardFramesBefore(generation: generation)
        session.lane.lastPosition.store(max(0, milliseconds), ordering: .releasing)
    }

    /// Volume 0.0–2.0 (0–200 %); changes ramp over one frame. Applies to later tracks too.
    public var volume: Double {
        get { Double(volumeMilli.load(ordering: .relaxed)) / 1000 }
        set {
            let milli = TrackControl.milli(newValue)
            volumeMilli.store(milli, ordering: .relaxed)
            current.withLock { $0 }?.control.volumeMilli.store(milli, ordering: .relaxed)
        }
    }

    /// Position (ms) of the last frame sent of the current track, or nil.
    public var positionMs: Int64? { current.withLock { $0 }?.lane.positionMs }

    /// Duration (ms) the current track's container declares, or nil.
    public var durationMs: Int64? {
        guard let value = current.withLock({ $0 })?.control.durationMs.load(ordering: .acquiring), value >= 0 else {
            return nil
        }
        return value
    }

    /// Whether the current track is still playing (or paused), not finished.
    public var isActive: Bool { current.withLock { $0.map { !$0.lane.isFinished } ?? false } }

    /// Pacing figures for the current (or last) track.
    public var stats: PacingStats? { current.withLock { $0 }?.lane.stats }

    /// Every frame's pacing deviation (µs) for the current track, if a log was requested.
    public var deviationsMicroseconds: [Int32] { current.withLock { $0 }?.lane.deviationsMicroseconds ?? [] }

    /// Decoder restarts after faults during the current track.
    public var recoveries: Int { current.withLock { $0 }?.control.recoveries.load(ordering: .relaxed) ?? 0 }
}
