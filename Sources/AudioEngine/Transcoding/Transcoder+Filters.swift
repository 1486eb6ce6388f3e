import AudioDSP

/// The transcoder's filter stage: Lavalink's ten filters (`AudioDSP.FilterChain`) between the
/// pending dry samples and the 960-sample frames, and what makes a change of them heard at once.
///
/// While the filters leave the samples as they are, the stage is off and frames are cut straight
/// from the pending samples (so an Opus source can pass through). With any filter on, every
/// frame's worth of dry samples is fed to the chain and kept in `retention`, and frames are cut
/// from the chain's output; under timescale a frame then spans `timeRatio` times its length of
/// source, which the frame's position (in source time) follows.
///
/// **A change** makes the frames still waiting in the ring again: the chain is reset to the new
/// settings, warmed on the 100 ms of dry audio before the first of them, and fed again from that
/// frame's dry samples; the new first frame fades in over the old one (20 ms), so nothing clicks,
/// and nothing is repeated or skipped because both start at the same source sample. All of it
/// happens on the decoder thread between two frames, with no seek of the input, so a seek the
/// player asks for right after a change always lands where it was asked to.
final class FilterStage {
    let chain = FilterChain(capacityFrames: 8_192)
    /// What the chain runs now.
    var settings = FilterSettings()
    /// The `TrackControl` filter request those settings came from.
    var version = -1
    /// Samples go through the chain (and frames are cut from its output).
    var active = false
    /// The dry samples taken from `pending` since the last seek; allocated when a filter is first
    /// turned on, then kept up whether the stage is on or off.
    var retention: DryRetention?
    let retentionFrames: Int
    /// Stream index of the next dry sample to feed to the chain; below `consumed` after a change.
    var feedCursor: Int64 = 0
    /// Stream index (in source samples, fractional under timescale) of the chain's next output sample.
    var wetSource: Double = 0
    /// The frame being filled from the chain's output, and where in the source it begins.
    let wet: UnsafeMutablePointer<Float>
    var wetCount = 0
    var frameSource: Double = 0
    /// The first frame made after a change fades in over `fade`, the old rendering of it.
    let fade: UnsafeMutablePointer<Float>
    var fadeSequence = -1
    let scratch: UnsafeMutablePointer<Float>
    /// Frames after a change handed out one per batch, so the first reaches the ring at once.
    var urgentFrames = 0
    /// End of stream: the chain's tail, then silence up to whole frames.
    var finishing = false
    var flushed = false
    var paddingLeft: Int?

    static let warmUpFrames = 4_800

    init(retentionFrames: Int) {
        self.retentionFrames = retentionFrames
        wet = .allocate(capacity: Transcoder.frameFloats)
        fade = .allocate(capacity: Transcoder.frameFloats)
        scratch = .allocate(capacity: Transcoder.frameFloats)
        for buffer in [wet, fade, scratch] { buffer.initialize(repeating: 0, count: Transcoder.frameFloats) }
    }

    deinit {
        wet.deallocate()
        fade.deallocate()
        scratch.deallocate()
    }

    func makeRetention() -> DryRetention {
        if let retention { return retention }
        let made = DryRetention(capacity: retentionFrames)
        retention = made
        return made
    }
}

extension Transcoder {
    var filterVersion: Int {
        get { filterStage.version }
        set { filterStage.version = newValue }
    }

    /// Before the first packet: the settings the stream starts with.
    func startFilters(_ settings: FilterSettings) {
        let stage = filterStage
        stage.settings = settings
        guard !settings.isIdentity else { return }
        stage.chain.update(settings)
        stage.chain.reset()
        stage.makeRetention().reset(at: consumed)
        stage.feedCursor = consumed
        stage.wetSource = Double(consumed)
        stage.active = true
    }

    /// Before a seek: `settings` are what the stream continues with from the target (the seek
    /// resets the chain, which takes them without a ramp).
    func adoptFilters(_ settings: FilterSettings) {
        filterStage.settings = settings
        filterStage.chain.update(settings)
    }

    /// Whether `settings` need the chain at all (now, or to turn it off).
    func needsRefilter(for settings: FilterSettings) -> Bool { filterStage.active || !settings.isIdentity }

    /// The first frame at or after `earliest` whose dry samples are still at hand, so that it
    /// can be made again; `nextSequence` when there is none.
    func refilterStart(atLeast earliest: Int) -> Int {
        guard let generation = marks.last?.generation, !(streamEnded && !filterStage.active) else { return nextSequence }
        var sequence = max(0, earliest)
        while sequence < nextSequence {
            if let entry = history.entry(sequence), entry.generation == generation, dryKept(from: entry) { return sequence }
            sequence += 1
        }
        return nextSequence
    }

    private func dryKept(from entry: FrameHistory.Entry) -> Bool {
        if let retention = filterStage.retention { return entry.source >= retention.start && entry.source <= consumed }
        // Never filtered: the frames themselves are the dry samples, one after the other.
        return entry.source == consumed - Int64(Self.frameSamples * (nextSequence - entry.sequence))
    }

    /// Applies `settings` from frame `point` on: if it is still waiting (the decoder cut the
    /// ring there), every frame from it is made again under them, `nextSequence` goes back to
    /// it, and the result is true; otherwise the change starts with the next samples fed,
    /// ramped by the chain.
    @discardableResult
    func refilter(_ settings: FilterSettings, from point: Int) -> Bool {
        let stage = filterStage
        stage.settings = settings
        guard point < nextSequence, let entry = history.entry(point), entry.generation == marks.last?.generation,
            dryKept(from: entry)
        else {
            applyAtFrontier(settings)
            return false
        }
        if stage.retention == nil { keepDryFromHistory(from: point) }
        if let before = history.entry(point - 1), before.generation == entry.generation {
            stage.fade.update(from: history.samples(point), count: Self.frameFloats)
            stage.fadeSequence = point
            gain = before.gainEnd
        } else {
            stage.fadeSequence = -1
        }
        stage.chain.update(settings)
        stage.chain.reset()
        warmUp(before: entry.source, settings: settings)
        stage.feedCursor = entry.source
        stage.wetSource = Double(entry.source)
        stage.wetCount = 0
        stage.flushed = false
        stage.paddingLeft = nil
        stage.active = true
        stage.urgentFrames = 4
        nextSequence = point
        return true
    }

    /// No frame to make again: the chain takes the change at its next push and ramps it.
    private func applyAtFrontier(_ settings: FilterSettings) {
        let stage = filterStage
        stage.chain.update(settings)
        guard !stage.active, !settings.isIdentity, !streamEnded else { return }
        let retention = stage.makeRetention()
        if retention.end != consumed { retention.reset(at: consumed) }
        stage.feedCursor = consumed
        stage.wetSource = Double(consumed)
        stage.wetCount = 0
        stage.active = true
    }

    /// The first change ever: the dry samples are the frames in the history (the 5 frames
    /// before `point` too, for the warm-up).
    private func keepDryFromHistory(from point: Int) {
        guard let entry = history.entry(point) else { return }
        var first = point
        while first > point - 5, let earlier = history.entry(first - 1), earlier.generation == entry.generation,
            earlier.source == entry.source - Int64(Self.frameSamples * (point - first + 1))
        {
            first -= 1
        }
        let retention = filterStage.makeRetention()
        retention.reset(at: entry.source - Int64(Self.frameSamples * (point - first)))
        for sequence in first..<nextSequence { retention.append(history.samples(sequence), frames: Self.frameSamples) }
    }

    /// Runs the 100 ms of dry audio before `source` through the freshly reset chain and drops
    /// the output, so the filters' state (band-passes, smoothers) is settled where the new frames
    /// begin. Not under timescale, whose output does not map sample for sample.
    private func warmUp(before source: Int64, settings: FilterSettings) {
        let stage = filterStage
        guard let retention = stage.retention, !settings.isIdentity, !settings.changesTime else { return }
        var at = max(retention.start, source - Int64(FilterStage.warmUpFrames))
        while at < source {
            let frames = Int(min(Int64(Self.frameSamples), source - at))
            retention.copy(from: at, frames: frames, into: stage.scratch)
            stage.chain.process(stage.scratch, frameCount: frames)
            while stage.chain.read(into: stage.wet, maxFrames: Self.frameSamples) > 0 {}
            at += Int64(frames)
        }
    }

    /// After a seek or a new stream: the chain starts afresh at the pending samples, and goes
    /// off (back onto the frame grid, so passthrough can resume) if the filters are identity.
    func resetFilterStage() {
        let stage = filterStage
        stage.chain.reset()
        stage.active = !stage.settings.isIdentity
        if stage.active { _ = stage.makeRetention() }
        stage.retention?.reset(at: produced)
        stage.feedCursor = produced
        stage.wetSource = Double(produced)
        stage.wetCount = 0
        stage.fadeSequence = -1
        stage.urgentFrames = 0
    }

    // MARK: Frames

    /// Whether `assemble` can make a frame (or the stream's tail) through the chain.
    var filteredWorkLeft: Bool {
        let stage = filterStage
        return stage.finishing || stage.feedCursor < consumed || framableEnd - consumed >= Int64(Self.frameSamples)
            || stage.wetCount + stage.chain.availableFrames >= Self.frameSamples
    }

    /// Feeds dry samples through the chain and cuts its output into frames, as many as the
    /// batch holds; returns when nothing more can be made, or when the stage turned off.
    func assembleFiltered(into batch: FrameBatch) {
        let stage = filterStage
        while !batch.isFull, stage.active {
            if stage.urgentFrames > 0, batch.count > 0 {
                stage.urgentFrames -= 1
                return
            }
            if stage.chain.availableFrames > 0 {
                let got = stage.chain.read(into: stage.wet + stage.wetCount * 2, maxFrames: Self.frameSamples - stage.wetCount)
                if stage.wetCount == 0 { stage.frameSource = stage.wetSource }
                stage.wetSource += Double(got) * stage.chain.timeRatio
                stage.wetCount += got
                if stage.wetCount == Self.frameSamples { emitFiltered(into: batch) }
                if got > 0 { continue }
            }
            if feedChain() { continue }
            if stage.finishing, finishFiltered(into: batch) { continue }
            return
        }
    }

    /// One frame's worth of dry samples into the chain: those kept since a change first, then
    /// the next complete frame of `pending`. False when there is none.
    private func feedChain() -> Bool {
        let stage = filterStage
        guard let retention = stage.retention else { return false }
        if stage.feedCursor < consumed {
            let frames = Int(min(Int64(Self.frameSamples), consumed - stage.feedCursor))
            retention.copy(from: stage.feedCursor, frames: frames, into: stage.scratch)
            stage.chain.process(stage.scratch, frameCount: frames)
            stage.feedCursor += Int64(frames)
            return true
        }
        guard framableEnd - consumed >= Int64(Self.frameSamples) else { return false }
        let pcm = pending + Int(consumed - pendingBase) * 2
        retention.append(pcm, frames: Self.frameSamples)
        stage.chain.process(pcm, frameCount: Self.frameSamples)
        consumed += Int64(Self.frameSamples)
        stage.feedCursor = consumed
        return true
    }

    /// The frame in `wet` is complete: kept, rendered, and placed in the source by `frameSource`.
    private func emitFiltered(into batch: FrameBatch) {
        let stage = filterStage
        stage.wetCount = 0
        let source = Int64(stage.frameSource.rounded(.down))
        guard let mark = mark(at: source) else { return }
        let sequence = nextSequence
        nextSequence += 1
        if sequence == stage.fadeSequence {
            stage.fadeSequence = -1
            for i in 0..<Self.frameSamples {
                let t = Float(i + 1) / Float(Self.frameSamples)
                stage.wet[2 * i] = stage.fade[2 * i] * (1 - t) + stage.wet[2 * i] * t
                stage.wet[2 * i + 1] = stage.fade[2 * i + 1] * (1 - t) + stage.wet[2 * i + 1] * t
            }
        }
        let trackSample = max(0, mark.trackSample + (source - mark.index))
        history.store(
            FrameHistory.Entry(
                sequence: sequence, track: mark.track, positionMs: trackSample / 48,
                generation: mark.generation, source: source,
                loudnessDB: loudness.cutGainDB(track: mark.track), overlap: inOverlap(source)),
            samples: stage.wet, packet: nil)
        render(sequence, into: batch)
        trimMarks()
        // Identity again, nothing inside the chain, and the next frame starts where a direct
        // frame would: the frames can be cut straight from `pending` again.
        if stage.chain.isIdentity, stage.chain.availableFrames == 0, stage.chain.latencyFrames == 0,
            stage.feedCursor == consumed, stage.wetSource == Double(consumed), !stage.finishing
        {
            stage.active = false
        }
    }

    /// End of the stream, once everything complete is made: the partial dry frame, the chain's
    /// tail, then silence to whole frames (one more if the padding would not cover libopus's
    /// look-ahead). False when all of it is made.
    private func finishFiltered(into batch: FrameBatch) -> Bool {
        let stage = filterStage
        if produced > consumed, let retention = stage.retention {
            let frames = Int(produced - consumed)
            let pcm = pending + Int(consumed - pendingBase) * 2
            retention.append(pcm, frames: frames)
            stage.chain.process(pcm, frameCount: frames)
            consumed = produced
            stage.feedCursor = consumed
            return true
        }
        if !stage.flushed {
            stage.flushed = true
            stage.chain.flush()
            return true
        }
        if stage.paddingLeft == nil {
            var padding = (Self.frameSamples - stage.wetCount % Self.frameSamples) % Self.frameSamples
            if padding < Self.encoderDelay { padding += Self.frameSamples }
            stage.paddingLeft = padding
            finalPadding = padding
        }
        guard let left = stage.paddingLeft, left > 0 else {
            stage.finishing = false
            return false
        }
        let frames = min(left, Self.frameSamples - stage.wetCount)
        if stage.wetCount == 0 { stage.frameSource = stage.wetSource }
        (stage.wet + stage.wetCount * 2).update(repeating: 0, count: frames * 2)
        stage.wetCount += frames
        stage.wetSource += Double(frames)
        stage.paddingLeft = left - frames
        if stage.wetCount == Self.frameSamples { emitFiltered(into: batch) }
        return true
    }
}

extension FilterSettings {
    /// Timescale is on: the output's length differs from the source's.
    var changesTime: Bool {
        guard let timescale else { return false }
        return (timescale.speed ?? 1) != 1 || (timescale.pitch ?? 1) != 1 || (timescale.rate ?? 1) != 1
    }
}
