import Foundation
import Synchronization

/// Time as the pacer sees it: nanoseconds on a monotonic clock, and a way to wait for a deadline.
///
/// Two real clocks exist: `MonotonicClock` paces real audio; `VirtualClock` jumps straight to
/// each deadline, so `--fast` runs and tests step through the same tick logic without waiting.
public protocol PacerClock: Sendable {
    func now() -> UInt64
    func sleep(until deadline: UInt64)
}

/// The real clock: CLOCK_MONOTONIC, with a coarse absolute sleep that wakes a little early and
/// a short spin to the deadline, which keeps deviation in the tens of microseconds.
public struct MonotonicClock: PacerClock {
    /// How early the coarse sleep wakes before spinning; covers scheduler wake-up latency.
    public var spinWindow: UInt64

    public init(spinWindowMicroseconds: UInt64 = 300) {
        spinWindow = spinWindowMicroseconds * 1000
    }

    public func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    public func sleep(until deadline: UInt64) {
        let start = now()
        guard deadline > start else { return }
        if deadline - start > spinWindow {
            let wake = deadline - spinWindow
            var ts = timespec(tv_sec: Int(wake / 1_000_000_000), tv_nsec: Int(wake % 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
        }
        while now() < deadline {}
    }
}

/// A clock that never waits: sleeping moves its time to the deadline at once.
public final class VirtualClock: PacerClock {
    private let time = Atomic<UInt64>(0)

    public init(start: UInt64 = 0) { time.store(start, ordering: .relaxed) }

    public func now() -> UInt64 { time.load(ordering: .acquiring) }

    public func sleep(until deadline: UInt64) {
        if deadline > now() { time.store(deadline, ordering: .releasing) }
    }

    /// Moves time forward by `nanoseconds`, as a test does to simulate a late pacer.
    public func advance(by nanoseconds: UInt64) {
        time.wrappingAdd(nanoseconds, ordering: .acquiringAndReleasing)
    }
}
