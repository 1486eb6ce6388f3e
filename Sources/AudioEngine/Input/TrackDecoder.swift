import CFFmpeg
import Foundation

/// The producer side of one player's continuous stream: opens each track in turn, runs its
/// packets through the `Transcoder` and pushes the frames into the ring, on a dedicated thread
/// so blocking I/O never touches the cooperative pool.
///
/// Tracks follow each other without a seam: when one input ends, the next track the player
/// set is opened at once (the ring still holds up to its depth of the old one, which is the
/// time the new one has to get going), and its samples complete the old one's last frame.
/// Frames carry their track's ordinal, their position in that track (ms) and the seek
/// generation. When a network source fails mid-track, the decoder reopens it at the next
/// position it owes the ring (see `TrackDecoder+Recovery`). The per-packet work (read, transcode,
/// push within the fill rate) is in `TrackDecoder+Pump`, the one file a frame's way to the
/// ring crosses besides the `Transcoder` and the `FrameRing`.
final class TrackDecoder: @unchecked Sendable {
    var source: TrackSource
    let ledger: TrackLedger
    let ring: FrameRing
    let control: TrackControl
    let transcoder: Transcoder
    let batch = FrameBatch()
    /// Called once on the decoder thread when it is done, with the samples of silence that
    /// pad the last frame (for sinks that record exact lengths).
    let onExit: @Sendable (_ paddingSamples: Int) -> Void
    /// Where a track measured whole on this stream is reported (normalisation on).
    let measured: AsyncStream<TrackMeasurement>.Continuation?

    // Decoder-thread state.
    var ordinal: UInt32 = 0
    let startMs: Int64
    var generation: UInt32 = 0
    /// Position (ms) in the current track of the next frame it owes the ring.
    var nextPositionMs: Int64 = 0
    /// Furthest point of the input reached, ms, for truncation checks.
    var reachedMs: Int64 = 0
    var restarts: [UInt64] = []
    var fruitlessRestarts = 0
    var positionAtLastRestart: Int64 = -1
    var rerenderHandled = 0
    /// A seek into the track playing now, which the decoder had already left for the next.
    var rewind: (track: UInt32, positionMs: Int64)?
    /// Track sample (48 kHz) a reopen after a fault resumes at.
    var resumeSample: Int64 = 0
    /// Whether the last `open` seeked, so audio before the target is trimmed (a live stream
    /// rejoins its live edge instead, where nothing is trimmed).
    var seekedOnOpen = false
    /// Live streams only: what was heard, so a rejoin does not repeat it.
    var overlap = LiveOverlap()
    var fill: FillPacing
    /// How far ahead of the pacer a re-render starts: the frames before it play as they are.
    static let rerenderMargin = 2
    /// A skip's fade-out: the ring sequence after its last frame; nothing from there is pushed.
    var fadeOutEnd: Int?

    /// - Parameter paced: false for unpaced runs on virtual time, which fill at full speed.
    init(
        first: TrackSource, startMs: Int64, ledger: TrackLedger, ring: FrameRing, control: TrackControl,
        settings: Transcoder.Settings, paced: Bool = true,
        measured: AsyncStream<TrackMeasurement>.Continuation? = nil,
        onExit: @escaping @Sendable (Int) -> Void
    ) throws(EngineError) {
        self.measured = measured
        fill = FillPacing(enabled: paced)
        source = first
        self.startMs = startMs
        self.ledger = ledger
        self.ring = ring
        self.control = control
        self.onExit = onExit
        transcoder = try Transcoder(
            source: first.location, settings: settings,
            historyCapacity: ring.capacity + FrameBatch.capacity + 4)
        if let filters = control.filters(newerThan: transcoder.filterVersion) {
            transcoder.filterVersion = filters.version
            transcoder.startFilters(filters.settings)
        }
        if let normalization = control.normalization(newerThan: transcoder.loudness.version) {
            transcoder.adoptNormalization(normalization.rule, version: normalization.version)
        }
    }

    func start() {
        let thread = Thread { [self] in
            ThreadName.setCurrent("cadence.decoder")
            run()
            if !control.isCancelled {
                transcoder.finish(into: batch)
                pushBatch()
            }
            onExit(control.isCancelled ? Transcoder.encoderDelay : transcoder.finalPadding)
        }
        thread.name = "cadence.decoder"
        thread.stackSize = 1 << 20
        thread.start()
    }

    /// Plays every track the ledger hands out, in order; a failed track is recorded and the
    /// stream goes on with the next.
    private func run() {
        var startAt = startMs
        var next: (ordinal: UInt32, source: TrackSource)? = (0, source)
        while let track = next, !control.isCancelled {
            ordinal = track.ordinal
            source = track.source
            do throws(EngineError) {
                try play(at: startAt)
            } catch {
                if !control.isCancelled { ledger.fail(ordinal, error) }
            }
            control.skippedPackets.store(transcoder.skippedPackets, ordering: .relaxed)
            startAt = 0
            if rewind == nil { awaitNextTrack() }
            if let rewind {
                self.rewind = nil
                transcoder.dropPending()
                transcoder.nextSequence = ring.cut(atLeast: ring.consumedSequence)
                ledger.reopen()
                next = (rewind.track, ledger.source(of: rewind.track))
                startAt = rewind.positionMs
                continue
            }
            next = control.isCancelled ? nil : ledger.track(after: Int(ordinal))
        }
    }

    /// With no next track set yet, the stream ends only when the listener is about to run out:
    /// a next track set while the ring still plays follows without a gap.
    private func awaitNextTrack() {
        while !control.isCancelled, !ledger.hasTrack(after: Int(ordinal)) {
            if ring.count <= PacerLane.startFrames {
                // The listener reached the overlap and no next track is set: the tail held for a
                // crossfade plays out as it is, and a next track set later still follows gaplessly.
                guard transcoder.crossfade.isAwaitingNext else { break }
                transcoder.cancelCrossfade()
                pushBatch()
                continue
            }
            if let request = control.takeSeek() {
                // A seek back into the track playing: decode it again from there.
                generation = request.generation
                rewind = (request.track, request.targetMs)
                return
            }
            handleRerender()
            // A filter change made the waiting frames again from the kept samples.
            if transcoder.hasCompleteFrames { pushBatch() }
            control.nap(nanoseconds: fill.enabled ? 10_000_000 : 1_000_000)
        }
    }

    /// One track, from `positionMs` to its end, recovering from network faults.
    private func play(at positionMs: Int64) throws(EngineError) {
        // A source that fails to open the first time fails the track at once: there is no
        // position to save and the user should hear about it now.
        var input = try open(at: positionMs)
        // Opened too late for a crossfade: the listener is already at the overlap (paced only;
        // on virtual time the pacer waits for the decoder).
        if fill.enabled, transcoder.crossfade.isAwaitingNext, ring.count < 2 {
            transcoder.cancelCrossfade()
            pushBatch()
        }
        try transcoder.beginTrack(
            input, ordinal: ordinal, startSample: positionMs * 48, generation: generation,
            trims: seekedOnOpen)
        transcoder.loudness.begin(ordinal: ordinal, source: source, fromStart: positionMs == 0, reopening: false)
        armCrossfade(input, fromMs: positionMs)
        while true {
            do throws(EngineError) {
                try pump(input)
                guard !control.isCancelled, rewind == nil else { return }
                // A live stream has no end: running out means the connection dropped.
                if isLive(input) { throw .networkError(source: source.location, message: "live stream ended") }
                // A cut-off download is a fault to recover from, so check before draining.
                try checkComplete(input)
                try endTrack()
                return
            } catch {
                guard !control.isCancelled else { return }
                // A server that keeps the connection open after the last byte is done, not
                // stalled: a timeout at the declared end is the end.
                if case .networkError = error, !isLive(input), input.durationIsDeclared, let expected = input.durationMs,
                    reachedMs >= expected - 50, !control.restartRequested
                {
                    try endTrack()
                    return
                }
                input = try recover(from: error, previous: input)
                try transcoder.beginTrack(
                    input, ordinal: ordinal, startSample: resumeSample, generation: generation,
                    trims: seekedOnOpen, reopening: true)
                // Samples decoded before the fault and not yet framed come again: measured twice.
                transcoder.loudness.seeked()
            }
        }
    }

    private func endTrack() throws(EngineError) {
        try transcoder.endTrack(into: batch)
        if let measurement = transcoder.loudness.endTrack() { measured?.yield(measurement) }
        transcoder.prepareCrossfadeTail()
        pushBatch()
    }

    /// With a crossfade set, the track just begun (or seeked) holds its tail back for it.
    private func armCrossfade(_ input: MediaInput, fromMs positionMs: Int64) {
        let live = isLive(input)
        let milliseconds = live ? 0 : control.crossfadeMs.load(ordering: .relaxed)
        transcoder.armCrossfade(
            durationFrames: milliseconds * 48,
            expectedFrames: input.durationMs.map { max(0, $0 - positionMs) * 48 })
    }

    /// Opens the current source and positions it at `positionMs`.
    /// `previous`, after a fault: the input that failed, whose seek index the new one adopts.
    func open(at positionMs: Int64, previous: MediaInput? = nil) throws(EngineError) -> MediaInput {
        let control = control
        let input = try MediaInput(source: source, fastSeek: previous == nil) {
            control.isCancelled || control.restartRequested
        }
        if let previous { input.adoptIndex(from: previous) }
        if let duration = input.durationMs { ledger.setDuration(duration, of: ordinal) }
        nextPositionMs = positionMs
        reachedMs = positionMs
        seekedOnOpen = false
        // A stream without a duration (Icecast radio, a live HLS playlist) cannot seek: it
        // rejoins at the live edge.
        if positionMs > 0, !source.isLive, input.durationMs != nil {
            let offset = previous == nil ? 0 : (transcoder.timelineOffset ?? 0) / 48
            try input.seek(toMs: positionMs + offset)
            seekedOnOpen = true
        } else if positionMs > 0 {
            overlap.rejoined()
        }
        return input
    }

    /// A setting changed: every frame the pacer will not have sent within `rerenderMargin`
    /// frames is taken back from the ring and rendered again from the history (a volume), or
    /// made again from its dry samples by the normal path (filters), so the change is heard
    /// within a few frames and nothing is repeated or skipped.
    func handleRerender() {
        guard control.rerenderCount != rerenderHandled, !control.seekPending else { return }
        var end = transcoder.nextSequence
        while control.rerenderCount != rerenderHandled, !control.isCancelled, !control.seekPending {
            rerenderHandled = control.rerenderCount
            transcoder.targetGain = control.gain
            if let normalization = control.normalization(newerThan: transcoder.loudness.version) {
                transcoder.adoptNormalization(normalization.rule, version: normalization.version)
            }
            if let filters = control.filters(newerThan: transcoder.filterVersion) {
                transcoder.filterVersion = filters.version
                if transcoder.needsRefilter(for: filters.settings) {
                    let earliest = transcoder.refilterStart(atLeast: ring.consumedSequence + Self.rerenderMargin)
                    let point = ring.cut(atLeast: earliest)
                    control.rerenderDone.store(rerenderHandled, ordering: .releasing)
                    fill.restart()
                    // The frames from `point` on come again through `assemble`, under the new
                    // filters and the volume of now; the history has nothing to re-render.
                    if transcoder.refilter(filters.settings, from: point) {
                        end = point
                        continue
                    }
                    // Nothing could be made again: the frames cut off are rendered from the
                    // history below, and the change starts with the next samples.
                } else {
                    transcoder.refilter(filters.settings, from: transcoder.nextSequence)
                }
            }
            var next = ring.cut(atLeast: ring.consumedSequence + Self.rerenderMargin)
            if control.fadeOutRequested.load(ordering: .acquiring), fadeOutEnd == nil {
                // Every frame from the cut on is made again fading out; the stream ends after them.
                transcoder.fadeOutRendered = 0
                fadeOutEnd = next + Transcoder.fadeOutFrames
            }
            // Every frame the pacer takes from here on is rendered under the new settings.
            control.rerenderDone.store(rerenderHandled, ordering: .releasing)
            // The pacer is `rerenderMargin` frames from the cut: refill at full speed first.
            fill.restart()
            rendering: while next < end {
                batch.removeAll()
                next = transcoder.rerender(from: next, to: end, into: batch)
                guard batch.count > 0 else { break }
                for index in 0..<batch.count {
                    push(
                        batch.frame(index), positionMs: batch.positions[index], track: batch.tracks[index],
                        generation: batch.generations[index])
                    if ring.nextSequence != batch.sequences[index] + 1 { break rendering }
                }
            }
        }
        batch.removeAll()
        transcoder.nextSequence = ring.nextSequence
    }

    func seek(_ input: MediaInput, toMs target: Int64, generation: UInt32) throws(EngineError) {
        self.generation = generation
        batch.removeAll()
        // Filters changed just before the seek start at its target as they are, with nothing
        // of the old ones carried over; the re-render they asked for then finds nothing to do.
        if let filters = control.filters(newerThan: transcoder.filterVersion) {
            transcoder.filterVersion = filters.version
            transcoder.adoptFilters(filters.settings)
        }
        // Every frame still buffered is from before the seek and the lane would only drop it:
        // take them back, so the new frames have the whole ring. Left in, a full ring of them
        // sent the decoder into its half-second refill nap after two new frames, and the
        // listener heard up to 480 ms of silence after the seek.
        transcoder.nextSequence = ring.cut(atLeast: ring.consumedSequence)
        try input.seek(toMs: target + (transcoder.timelineOffset ?? 0) / 48)
        transcoder.seek(toSample: target * 48, generation: generation)
        transcoder.loudness.seeked()
        armCrossfade(input, fromMs: target)
        nextPositionMs = target
        reachedMs = target
        fill.restart()
    }

    /// Live: flagged by the resolver, or a network stream without any duration (radio).
    func isLive(_ input: MediaInput) -> Bool {
        source.isLive || (source.isNetwork && input.durationMs == nil)
    }

    /// A declared duration that the data falls far short of means the input was cut off.
    private func checkComplete(_ input: MediaInput) throws(EngineError) {
        guard !source.isLive, input.durationIsDeclared, let expected = input.durationMs, expected > 0 else { return }
        let missing = expected - reachedMs
        if missing > 2_000, reachedMs < expected * 9 / 10 || source.isNetwork {
            throw .truncated(source: source.location, reachedMs: reachedMs, expectedMs: expected)
        }
    }
}
