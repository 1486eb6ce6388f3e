import AudioDSP
import Synchronization

/// One voice connection's player: plays a continuous stream of tracks into a `FrameSink`,
/// paced by a shared `Pacer`, and reports what happened through `events`.
///
/// The track started with `play` and each track given with `setNext` follow each other on one
/// ring, one pacer lane and one Opus encoder, gaplessly: no sample is inserted or removed at a
/// boundary, and the wire sees no silence and no speaking change between them. A burst ends
/// (5 silence frames, speaking off) only on `stop`, `pause`, or when no next track is set.
///
/// Every control is safe from any thread or task and returns at once; the decoder and the
/// pacer threads do the work. Pause and resume lose and repeat no frame; a seek discards what
/// was buffered and the next frame starts within one frame of the target. A volume change is
/// heard within a few frames: the frames still waiting in the ring are rendered again from the
/// position of the next one to be sent, not played out under the old volume. A change of
/// `filters` (Lavalink's ten) is heard as fast: those frames are made again from their dry
/// samples under the new filters, faded in over 20 ms.
public final class Player: Sendable {
    public let sink: any FrameSink
    public let pacer: Pacer
    public let options: PlayerOptions
    /// Player events, in order. There is one stream per player; iterate it from one task.
    public let events: AsyncStream<PlayerEvent>
    private let continuation: AsyncStream<PlayerEvent>.Continuation
    private let current = Mutex<PlaybackSession?>(nil)
    private let volumeMilli: Atomic<Int>
    /// Guards the filters and, while it is held, which session gets them (and the normalisation
    /// and crossfade), so a `play` and a change that race cannot leave the new stream with the
    /// old settings.
    private let filterSettings = Mutex(FilterSettings())
    /// Loudness normalisation (nil = off), guarded like the filters.
    private let normalizationRule = Mutex<LoudnessNormalization?>(nil)
    private let crossfadeMilliseconds = Atomic<Int>(0)
    /// Tracks measured while they played (normalisation on, loudness not given), for the
    /// caller to store; the newest 64 are kept if nobody reads them.
    public let measurements: AsyncStream<TrackMeasurement>
    private let measured: AsyncStream<TrackMeasurement>.Continuation
    private let waitsForData: Bool
    private let deviationLogCapacity: Int

    /// - Parameters:
    ///   - unpaced: for offline runs on a `VirtualClock`: an empty ring waits for the decoder
    ///     instead of counting a nulled frame.
    ///   - deviationLogCapacity: keep every frame's pacing deviation, for the benchmark.
    public init(
        sink: any FrameSink, pacer: Pacer, options: PlayerOptions = PlayerOptions(),
        unpaced: Bool = false, deviationLogCapacity: Int = 0
    ) {
        self.sink = sink
        self.pacer = pacer
        self.options = options
        self.waitsForData = unpaced
        self.deviationLogCapacity = deviationLogCapacity
        volumeMilli = Atomic(TrackControl.milli(options.volume))
        (events, continuation) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
        (measurements, measured) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(64))
    }

    deinit {
        current.withLock { $0?.end(.stopped) }
        continuation.finish()
        measured.finish()
    }

    /// Starts `source` (a path or any URL libavformat opens) at `startMs`, replacing what
    /// plays now. Errors arrive as a `.failed` event.
    public func play(_ source: String, startMs: Int64 = 0) {
        play(TrackSource(location: source), startMs: startMs)
    }

    /// Starts a resolved source, which may carry HTTP headers and a way to refresh its URL.
    public func play(_ source: TrackSource, startMs: Int64 = 0) {
        let (session, previous) = filterSettings.withLock { filters in
            let session = PlaybackSession(
                first: source, options: options, volume: volume, filters: filters,
                normalization: normalizationRule.withLock { $0 },
                crossfadeMs: crossfadeMilliseconds.load(ordering: .relaxed), sink: sink,
                waitsForData: waitsForData, deviationLogCapacity: deviationLogCapacity, continuation: continuation)
            let previous = current.withLock { slot in
                defer { slot = session }
                return slot
            }
            return (session, previous)
        }
        // A skip with a crossfade set fades the old stream out (~250 ms) before the new one
        // takes the sink; otherwise the new one takes it at once.
        let fading = crossfadeMilliseconds.load(ordering: .relaxed) > 0 && previous?.fadeOut() == true
        if !fading { previous?.end(.replaced) }
        let decoder: TrackDecoder
        do {
            decoder = try TrackDecoder(
                first: source, startMs: max(0, startMs), ledger: session.ledger, ring: session.ring,
                control: session.control,
                settings: .init(bitrate: options.bitrate, complexity: options.complexity),
                paced: !waitsForData, measured: measured
            ) { [lane = session.lane] padding in lane.markProducerFinished(paddingSamples: padding) }
        } catch {
            session.ledger.fail(0, error)
            session.producerExited(paddingSamples: opusEncoderDelay)
            pacer.add(session.lane)
            return
        }
        if startMs > 0 { session.lane.lastPosition.store(startMs, ordering: .releasing) }
        decoder.start()
        session.watchdog.value.withLock {
            $0 = StuckWatchdog(lane: session.lane, threshold: options.stuckThreshold) { [weak session] in
                guard let session else { return }
                session.ledger.stuck()
                session.control.requestRestart()
            }
        }
        guard fading, let previous else {
            pacer.add(session.lane)
            return
        }
        // One lane at a time on the sink: the new one joins once the fade is out. A decoder stuck
        // in a read cannot fade; after 1 s the old stream is cut off instead.
        let pacer = pacer
        Task.detached {
            for _ in 0..<200 where !previous.lane.isFinished { try? await Task.sleep(for: .milliseconds(5)) }
            if !previous.lane.isFinished {
                previous.end(.replaced)
                for _ in 0..<40 where !previous.lane.isFinished { try? await Task.sleep(for: .milliseconds(5)) }
            }
            pacer.add(session.lane)
        }
    }

    /// Sets the track to follow the one playing now without a gap (replacing any set before),
    /// or with nil clears it. Its decoder starts as soon as the current input ends, up to a
    /// ring's depth before the boundary. Returns false when nothing plays, or when the
    /// successor set before is already being decoded (`play` the new one to switch).
    @discardableResult
    public func setNext(_ source: TrackSource?) -> Bool {
        guard let session = current.withLock({ $0 }), !session.lane.isFinished,
            !session.lane.producerFinished.load(ordering: .acquiring)
        else { return false }
        let accepted = session.ledger.setNext(source)
        session.control.poke()
        return accepted
    }

    /// Appends `source` after every track known to this stream (what `cadence play A B C`
    /// does); returns false when nothing plays.
    @discardableResult
    public func enqueue(_ source: TrackSource) -> Bool {
        guard let session = current.withLock({ $0 }), !session.lane.isFinished,
            !session.lane.producerFinished.load(ordering: .acquiring)
        else { return false }
        let accepted = session.ledger.enqueue(source)
        session.control.poke()
        return accepted
    }

    /// `setNext` for a plain path or URL.
    @discardableResult
    public func setNext(_ source: String) -> Bool { setNext(TrackSource(location: source)) }

    /// Stops after a short silence; the track playing reports `.finished(.stopped)`.
    public func stop() { current.withLock { $0 }?.end(.stopped) }

    /// Pauses at a frame boundary; the ring keeps every frame not yet sent.
    public func pause() { current.withLock { $0 }?.lane.requestPause(true) }

    /// Resumes exactly where `pause` left off, on a fresh 20 ms schedule.
    public func resume() {
        current.withLock { $0 }?.lane.requestPause(false)
        pacer.poke()
    }

    /// Moves the track playing now to `milliseconds`. Frames already buffered are discarded,
    /// and a next track already begun is decoded again after it.
    public func seek(toMs milliseconds: Int64) {
        guard let session = current.withLock({ $0 }) else { return }
        let generation = session.control.requestSeek(toMs: milliseconds, track: session.ledger.playingOrdinal)
        session.lane.discardFramesBefore(generation: generation)
        session.lane.lastPosition.store(max(0, milliseconds), ordering: .releasing)
    }

    /// Volume 0.0–10.0 (0–1000 %, Lavalink's range; 1.0 is unity). Heard within 100 ms,
    /// ramped over a frame; applies to later tracks too. At exactly 1.0 an Opus source's own
    /// packets go out untouched.
    public var volume: Double {
        get { Double(volumeMilli.load(ordering: .relaxed)) / 1000 }
        set {
            let milli = TrackControl.milli(newValue)
            guard volumeMilli.exchange(milli, ordering: .relaxed) != milli else { return }
            guard let session = current.withLock({ $0 }) else { return }
            session.control.volumeMilli.store(milli, ordering: .relaxed)
            session.control.requestRerender()
        }
    }

    /// Lavalink's filters (`AudioDSP.FilterSettings`, the whole set, PATCH semantics). Heard
    /// within 100 ms, faded in over 20 ms, with nothing repeated or skipped; applies to later
    /// tracks too. Under timescale, positions stay in source time. While they leave the samples
    /// as they are (and the volume is 1.0), an Opus source's own packets go out untouched.
    /// Settings that fail `validate()` are ignored here: `setFilters` says why.
    public var filters: FilterSettings {
        get { filterSettings.withLock { $0 } }
        set { try? setFilters(newValue) }
    }

    /// Sets `filters` after checking them against Lavalink's ranges; on error nothing changes.
    public func setFilters(_ settings: FilterSettings) throws(FilterError) {
        try settings.validate()
        filterSettings.withLock { filters in
            guard filters != settings else { return }
            filters = settings
            current.withLock { $0 }?.control.setFilters(settings)
        }
    }

    /// Loudness normalisation (EBU R128), nil = off. Each track gets one gain that brings it to
    /// the rule's target (−14 LUFS by default, boost capped at +9 dB) with true peak held under
    /// −1 dBTP: a track whose `TrackSource.loudness` is given gets it from its first sample;
    /// any other is measured as it plays, with a running estimate that moves at most 1 dB/s
    /// (0.5 dB/s for a live stream), and its measurement arrives on `measurements` when its
    /// input ends. Heard within 100 ms, like the volume, with nothing repeated or skipped.
    /// An Opus source's own packets still go out while its gain is within ±0.5 dB (and the
    /// volume is 1.0 and no filter is on). Off, the output is exactly what it is without it.
    public var normalization: LoudnessNormalization? {
        get { normalizationRule.withLock { $0 } }
        set {
            // Under the filters' lock, which `play` holds while it swaps the session: a stream
            // started meanwhile cannot miss the change.
            filterSettings.withLock { _ in
                let changed = normalizationRule.withLock { rule in
                    defer { rule = newValue }
                    return rule != newValue
                }
                if changed { current.withLock { $0 }?.control.setNormalization(newValue) }
            }
        }
    }

    /// Crossfade between queued tracks, seconds, 0…12 (0 = gapless, the default). At a boundary
    /// the next track fades in with equal-power gains (cos/sin, per sample) from the end of the
    /// one playing minus this, after its trailing silence (below −50 dBFS) is trimmed; the sum
    /// is limited so it never clips. A next track that is not set or not decoded by then
    /// follows gaplessly instead. Takes effect at the next boundary.
    public var crossfadeSeconds: Double {
        get { Double(crossfadeMilliseconds.load(ordering: .relaxed)) / 1000 }
        set {
            let ms = Int((min(12, max(0, newValue.isFinite ? newValue : 0)) * 1000).rounded())
            filterSettings.withLock { _ in
                crossfadeMilliseconds.store(ms, ordering: .relaxed)
                current.withLock { $0 }?.control.crossfadeMs.store(ms, ordering: .relaxed)
            }
        }
    }

    /// Whether every frame the pacer takes from now on reflects the latest setting change (the
    /// decoder has cut the ring for its re-render). For tests that hold the pacer meanwhile.
    package var settingsApplied: Bool {
        guard let control = current.withLock({ $0 })?.control else { return true }
        return control.rerenderDone.load(ordering: .acquiring) == control.rerenderCount
    }

    /// Position (ms) in its track of the last frame sent, or nil.
    public var positionMs: Int64? { current.withLock { $0 }?.lane.positionMs }

    /// The track playing now (its location), or nil when nothing plays.
    public var currentSource: String? {
        guard let session = current.withLock({ $0 }), !session.lane.isFinished else { return nil }
        return session.ledger.playingSource
    }

    /// Duration (ms) the current track's container declares, or nil.
    public var durationMs: Int64? { current.withLock { $0 }?.ledger.playingDurationMs }

    /// Whether a stream is still playing (or paused), not finished.
    public var isActive: Bool { current.withLock { $0.map { !$0.lane.isFinished } ?? false } }

    /// Pacing figures for the current (or last) stream, over all of its tracks.
    public var stats: PacingStats? { current.withLock { $0 }?.lane.stats }

    /// Every frame's pacing deviation (µs) for the current stream, if a log was requested.
    public var deviationsMicroseconds: [Int32] { current.withLock { $0 }?.lane.deviationsMicroseconds ?? [] }

    /// Frames sent (the closing silence included) and milliseconds played of the current
    /// stream's track `ordinal` (0 for the one `play` started, then each track in the order it
    /// was set or enqueued), once that track has finished; nil before.
    public func trackFigures(_ ordinal: Int) -> (framesSent: Int, playedMs: Int64)? {
        current.withLock { $0 }?.ledger.figures(ordinal)
    }

    /// Frames waiting in the current stream's ring (made, not yet sent). For tests that need
    /// the decoder to have caught up before they change a setting.
    package var bufferedFrames: Int { current.withLock { $0 }?.ring.count ?? 0 }

    /// Decoder restarts after faults during the current stream.
    public var recoveries: Int { current.withLock { $0 }?.control.recoveries.load(ordering: .relaxed) ?? 0 }
}
