import Foundation

/// How fast a decoder fills its ring.
///
/// A track starts as soon as a few frames are buffered, so the first `prefillFrames` go in at
/// full speed. Beyond that the decoder works at most `fillSpeed` frames per 20 ms until the
/// ring is full; a hundred tracks that start together therefore each get their first frames
/// before any of them runs five seconds ahead. (Lowering the thread's nice value after the
/// prefill was tried: on a machine busy with other work, 100 decoders at nice +5 could not
/// keep up with playback, so the decoders keep normal priority.) A full ring
/// waits for room in one long nap that a seek or a stop ends at once, instead of polling.
struct FillPacing {
    static let prefillFrames = 5
    /// Frames per 20 ms once the prefill is in: the ring gains `fillSpeed - 1` frames a tick.
    static let fillSpeed: UInt64 = 3
    /// A full ring waits until this many slots are free (0.5 s of audio), then refills them
    /// in one go.
    static let refillFrames = 25
    static let framePeriod: UInt64 = 20_000_000

    /// False for unpaced (`--fast`) runs, where time is virtual and the decoder sets the pace.
    let enabled: Bool
    /// When the current fill began (first push after start or seek), ns.
    var start: UInt64?
    var pushed: UInt64 = 0

    init(enabled: Bool) { self.enabled = enabled }

    /// How long to wait before pushing the next frame, ns (0: push now).
    func wait(now: UInt64) -> UInt64 {
        guard enabled, let start, pushed >= UInt64(Self.prefillFrames) else { return 0 }
        let allowedAt = start + (pushed - UInt64(Self.prefillFrames)) * Self.framePeriod / Self.fillSpeed
        return allowedAt > now ? allowedAt - now : 0
    }

    /// Starts a new fill, after a seek.
    mutating func restart() {
        start = nil
        pushed = 0
    }
}

extension TrackDecoder {
    /// Pushes one frame, within the fill rate and waiting while the ring is full. A frame made
    /// stale by a pending seek or a stop is dropped instead.
    func push(_ frame: UnsafeRawBufferPointer, positionMs: Int64, track: UInt32, generation: UInt32) {
        if let fadeOutEnd, ring.nextSequence >= fadeOutEnd {
            // The skip's fade-out is out: the stream ends here (the pacer plays the ring out).
            control.cancel()
            return
        }
        if fill.enabled { awaitFillBudget() }
        while !ring.push(frame, positionMs: positionMs, generation: generation, track: track) {
            if control.isCancelled || control.seekPending || control.rerenderCount != rerenderHandled { return }
            if fill.enabled {
                let free = Int64(FillPacing.refillFrames - (ring.capacity - ring.count))
                control.nap(nanoseconds: UInt64(max(1, free)) * FillPacing.framePeriod)
            } else {
                usleep(2_000)
            }
        }
        fill.pushed += 1
    }

    private func awaitFillBudget() {
        let now = MonotonicClock.nanoseconds()
        if fill.start == nil { fill.start = now }
        let wait = fill.wait(now: now)
        if wait > 0 { control.nap(nanoseconds: wait) }
    }
}
