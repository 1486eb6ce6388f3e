import AudioDSP

/// The transcoder's crossfade between queued tracks, in the one sample stream, before the
/// frames are cut: the outgoing track's last seconds are held back in `pending`, the incoming
/// track's first samples are mixed into them as they are decoded (equal-power, per sample,
/// in float), and the frames are cut from the sum. One encoder runs on, so the wire sees one
/// stream; the frames of the overlap go through the limiter (`render`), so the sum never clips.
///
/// States: `armed` while a track plays with a crossfade set (near its end, its last
/// `keepFrames` are held back); `awaitingNext` once its input ended (frames are cut up to
/// where the overlap starts: end − D after the trailing silence is trimmed); `mixing` while
/// the next track's first D are decoded into the tail. Anything that goes wrong (no next
/// track before the listener gets there, a next track that cannot be opened, or too short a
/// track) cancels it and the stream goes on gaplessly.
final class CrossfadeStage {
    enum State {
        case idle
        /// `endIndex`: the stream index where the track's input should end (from its duration), if known.
        case armed(durationFrames: Int, endIndex: Int64?)
        case awaitingNext(overlapStart: Int64, audibleEnd: Int64)
        case mixing(cursor: Int64, end: Int64)
    }

    /// Trailing silence this long (or less) is trimmed without shortening the fade.
    static let trimMarginFrames = 48_000 * 3
    /// How close to its declared end a track's tail starts being held back (duration estimates err).
    static let holdLeadFrames: Int64 = 48_000 * 2
    /// A fade shorter than this is not worth it: the boundary stays gapless.
    static let minimumFadeFrames = 4_800

    var state = State.idle
    /// What follows the mixing: the incoming track armed for its own end.
    var afterMixing = State.idle
    var fade = Crossfade(durationFrames: 1)
    /// The stream range of the last overlap, for the limiter to know its frames.
    var overlap: Range<Int64> = 0..<0

    var isAwaitingNext: Bool { if case .awaitingNext = state { true } else { false } }
    var isMixing: Bool { if case .mixing = state { true } else { false } }
}

extension Transcoder {
    /// Samples pending must hold for a crossfade of `durationFrames`: the tail, the trim margin
    /// and a decoded packet or two.
    static func pendingFrames(crossfade durationFrames: Int) -> Int {
        durationFrames > 0 ? durationFrames + CrossfadeStage.trimMarginFrames + 48_000 : 48_000 * 4
    }

    /// The track just begun will crossfade into the next over `durationFrames` (0: gapless):
    /// near `expectedFrames` (its remaining length from the duration, if known) its last
    /// seconds are held back.
    func armCrossfade(durationFrames: Int, expectedFrames: Int64?) {
        guard durationFrames > 0 else {
            if case .armed = crossfade.state { crossfade.state = .idle }
            crossfade.afterMixing = .idle
            return
        }
        growPending(to: Self.pendingFrames(crossfade: durationFrames))
        let base = marks.last?.index ?? produced
        let armed = CrossfadeStage.State.armed(durationFrames: durationFrames, endIndex: expectedFrames.map { base + $0 })
        if crossfade.isMixing { crossfade.afterMixing = armed } else { crossfade.state = armed }
    }

    /// Frames may be cut from `consumed` up to here (the rest is held for a crossfade).
    var framableEnd: Int64 {
        switch crossfade.state {
        case .idle: return produced
        case let .armed(duration, endIndex):
            let keep = Int64(duration + CrossfadeStage.trimMarginFrames)
            if let endIndex, produced < endIndex - keep - CrossfadeStage.holdLeadFrames { return produced }
            return max(consumed, produced - keep)
        case let .awaitingNext(overlapStart, _): return overlapStart
        case let .mixing(cursor, _): return cursor
        }
    }

    /// The outgoing track's input ended: finds where its sound ends (trailing silence below
    /// −50 dBFS trimmed) and where the overlap starts, and cuts frames up to there only.
    /// False when there is no room for a fade (the stream goes on gaplessly).
    @discardableResult
    func prepareCrossfadeTail() -> Bool {
        guard case let .armed(duration, _) = crossfade.state else { return false }
        let held = Int(produced - consumed)
        let audible = SilenceTrim.audibleFrames(pending + Int(consumed - pendingBase) * 2, frames: held)
        let audibleEnd = consumed + Int64(audible)
        let overlapStart = max(consumed, audibleEnd - Int64(duration))
        guard audibleEnd - overlapStart >= Int64(CrossfadeStage.minimumFadeFrames),
            let mark = marks.last, overlapStart > mark.index
        else {
            crossfade.state = .idle
            return false
        }
        crossfade.state = .awaitingNext(overlapStart: overlapStart, audibleEnd: audibleEnd)
        return true
    }

    /// The incoming track begins: where its samples start in the stream (the overlap's start,
    /// or `produced` without a crossfade). Its first samples will be mixed into the tail.
    func crossfadeStart() -> Int64? {
        guard case let .awaitingNext(overlapStart, audibleEnd) = crossfade.state else { return nil }
        // The outgoing track's trailing silence is dropped: the incoming one goes on from its sound's end.
        produced = audibleEnd
        crossfade.fade = Crossfade(durationFrames: Int(audibleEnd - overlapStart))
        crossfade.overlap = overlapStart..<audibleEnd
        crossfade.state = .mixing(cursor: overlapStart, end: audibleEnd)
        crossfade.afterMixing = .idle
        return overlapStart
    }

    /// New samples of the incoming track at `pending[start...]`: while the overlap lasts they
    /// are mixed into the tail instead of appended. Returns how many remain to append.
    func mixIncoming(at start: Int, frames: Int) -> Int {
        guard case let .mixing(cursor, end) = crossfade.state, frames > 0 else { return frames }
        let take = Int(min(Int64(frames), end - cursor))
        let tail = pending + Int(cursor - pendingBase) * 2
        crossfade.fade.mix(outgoing: tail, incoming: pending + start * 2, into: tail, frames: take)
        if frames > take { (pending + start * 2).update(from: pending + (start + take) * 2, count: (frames - take) * 2) }
        crossfade.state = cursor + Int64(take) == end ? crossfade.afterMixing : .mixing(cursor: cursor + Int64(take), end: end)
        return frames - take
    }

    /// Gives up the crossfade: a tail still waiting plays out as it is (gapless), and an
    /// overlap the incoming track broke off finishes its fade-out alone.
    func cancelCrossfade() {
        switch crossfade.state {
        case let .mixing(cursor, end):
            var position = crossfade.fade.position
            let duration = crossfade.fade.durationFrames
            for index in cursor..<end {
                let gain = Crossfade.gains(progress: Double(position) / Double(duration)).outgoing
                let sample = pending + Int(index - pendingBase) * 2
                sample[0] *= gain
                sample[1] *= gain
                position += 1
            }
        default: break
        }
        crossfade.state = .idle
        crossfade.afterMixing = .idle
    }

    /// Makes `pending` hold at least `frames` (once, when a crossfade first needs the room).
    func growPending(to frames: Int) {
        guard frames > pendingCapacity else { return }
        let grown = UnsafeMutablePointer<Float>.allocate(capacity: frames * 2)
        let live = Int(produced - consumed)
        if live > 0 { grown.update(from: pending + Int(consumed - pendingBase) * 2, count: live * 2) }
        pending.deallocate()
        pending = grown
        pendingCapacity = frames
        pendingBase = consumed
    }

    /// Whether the frame starting at stream index `first` lies in an overlap (it is limited).
    func inOverlap(_ first: Int64) -> Bool {
        first + Int64(Self.frameSamples) > crossfade.overlap.lowerBound && first < crossfade.overlap.upperBound
    }
}
