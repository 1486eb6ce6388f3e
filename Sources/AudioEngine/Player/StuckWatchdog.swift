import Dispatch
import Synchronization

/// Notices a track that stopped producing audio while it should be playing: when the lane's
/// position has not moved for `threshold` (not paused, first frame already sent), it calls
/// `onStuck`, and again after each further `threshold` without audio.
///
/// It is a dispatch timer rather than a thread of its own: a thread per track grew the
/// process's memory with every track (allocator arenas and stacks), and a timer on a global
/// queue still fires while the decoder thread is blocked inside libav or the cooperative pool
/// is busy. The threshold is a player option (10 s by default) so tests can use a short one.
final class StuckWatchdog: Sendable {
    private struct Progress {
        var lastPosition: Int64
        var lastChange: UInt64
    }

    // Only touched through `resume`/`cancel`, which are thread-safe on a dispatch source.
    nonisolated(unsafe) private let timer: any DispatchSourceTimer

    /// Starts watching `lane`; stops by itself when the lane finishes.
    init(lane: PacerLane, threshold: Duration, onStuck: @escaping @Sendable () -> Void) {
        let thresholdNanoseconds =
            UInt64(threshold.components.seconds) * 1_000_000_000
            + UInt64(threshold.components.attoseconds / 1_000_000_000)
        let intervalMs = Int(max(10, min(100, thresholdNanoseconds / 10_000_000)))
        let clock = MonotonicClock()
        let progress = Mutex(Progress(lastPosition: lane.lastPosition.load(ordering: .acquiring), lastChange: clock.now()))
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + .milliseconds(intervalMs), repeating: .milliseconds(intervalMs))
        // The handler cancels its own timer once the lane is done; a cancelled source
        // releases its handler, which breaks the timer → handler → timer cycle.
        nonisolated(unsafe) let ownTimer = timer
        timer.setEventHandler {
            if lane.isFinished {
                ownTimer.cancel()
                return
            }
            let position = lane.lastPosition.load(ordering: .acquiring)
            let now = clock.now()
            let idle =
                position < 0 || lane.pauseRequested.load(ordering: .acquiring)
                || lane.stopRequested.load(ordering: .acquiring)
            let stuck = progress.withLock { state -> Bool in
                if position != state.lastPosition || idle {
                    state.lastPosition = position
                    state.lastChange = now
                    return false
                }
                guard now - state.lastChange >= thresholdNanoseconds else { return false }
                // Again after every further threshold without audio: each restart that
                // brings nothing counts, and the decoder gives up after a few.
                state.lastChange = now
                return true
            }
            if stuck { onStuck() }
        }
        self.timer = timer
        timer.resume()
    }

    func cancel() { timer.cancel() }
}
