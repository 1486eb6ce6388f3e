import Foundation
import Synchronization

/// Notices a track that stopped producing audio while it should be playing: when the lane's
/// position has not moved for `threshold` (not paused, first frame already sent), it calls
/// `onStuck`, and again after each further `threshold` without audio.
///
/// It runs on a small thread of its own, so it keeps watching when the decoder thread is
/// blocked inside libav or the cooperative pool is busy. The threshold is a player option
/// (10 s by default) so tests can use a short one.
final class StuckWatchdog: Sendable {
    private let cancelled = Atomic<Bool>(false)

    /// Starts watching `lane`; stops by itself when the lane finishes.
    init(lane: PacerLane, threshold: Duration, onStuck: @escaping @Sendable () -> Void) {
        let thresholdNanoseconds = UInt64(threshold.components.seconds) * 1_000_000_000
            + UInt64(threshold.components.attoseconds / 1_000_000_000)
        let interval = max(10_000, min(100_000, thresholdNanoseconds / 10_000))  // µs
        let thread = Thread { [self] in
            let clock = MonotonicClock()
            var lastPosition = lane.lastPosition.load(ordering: .acquiring)
            var lastChange = clock.now()
            while !self.cancelled.load(ordering: .acquiring), !lane.isFinished {
                usleep(useconds_t(interval))
                let position = lane.lastPosition.load(ordering: .acquiring)
                let now = clock.now()
                let idle = position < 0 || lane.pauseRequested.load(ordering: .acquiring)
                    || lane.stopRequested.load(ordering: .acquiring)
                if position != lastPosition || idle {
                    lastPosition = position
                    lastChange = now
                    continue
                }
                if now - lastChange >= thresholdNanoseconds {
                    // Again after every further threshold without audio: each restart that
                    // brings nothing counts, and the decoder gives up after a few.
                    lastChange = now
                    onStuck()
                }
            }
        }
        thread.name = "cadence.watchdog"
        thread.stackSize = 64 << 10
        thread.start()
    }

    func cancel() { cancelled.store(true, ordering: .releasing) }
}
