import Foundation

/// How late this machine's kernel wakes a real-time thread from an absolute sleep on a 20 ms
/// grid: the floor under any pacing figure measured here. On a virtual machine whose host
/// steals the vCPU, a bare `clock_nanosleep` at SCHED_FIFO can wake 2–5 ms late at p99, which
/// no pacer running on it can beat. Sampled over the same stretch as the pacing it is set beside,
/// it becomes the floor a pacing bar is added to, so the test still fails when the pacer itself
/// adds lateness, and on real hardware (a floor of about 0.1 ms) the bar is what it always was.
public enum TimerLatency {
    /// The p99 lateness in ms over `wakeUps` sleeps (20 ms apart), on a thread of its own with
    /// the pacer's priority (SCHED_FIFO 10, when allowed).
    public static func p99Milliseconds(wakeUps: Int = 150) async -> Double {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                var parameters = sched_param()
                parameters.sched_priority = 10
                _ = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
                var lateness: [Double] = []
                var next = now() + 20_000_000
                for _ in 0..<wakeUps {
                    var ts = timespec(tv_sec: Int(next / 1_000_000_000), tv_nsec: Int(next % 1_000_000_000))
                    while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
                    lateness.append(Double(now() - next) / 1e6)
                    next += 20_000_000
                }
                lateness.sort()
                continuation.resume(returning: lateness[Int(Double(lateness.count - 1) * 0.99)])
            }
            thread.start()
        }
    }

    private static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
