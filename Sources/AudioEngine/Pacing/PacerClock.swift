import Foundation
import Synchronization

/// Time as the pacer sees it: nanoseconds on a monotonic clock, and a way to wait for a deadline.
///
/// Two real clocks exist: `MonotonicClock` paces real audio; `VirtualClock` jumps straight to
/// each deadline, so `--fast` runs and tests step through the same tick logic without waiting.
public protocol PacerClock: Sendable {
    func now() -> UInt64
    func sleep(until deadline: UInt64)
    /// Whether this clock is the wall's: only then does the pacer ask for real-time priority.
    var isRealTime: Bool { get }
}

extension PacerClock {
    public var isRealTime: Bool { false }
}

/// The real clock: CLOCK_MONOTONIC, with an absolute sleep that wakes a little early and a
/// short spin to the deadline.
///
/// The early margin follows how late the kernel actually wakes the thread (a smoothed
/// average, capped at `spinWindow`), so the spin covers the usual wake-up latency and no more.
/// A fixed 300 µs spin was most of an idle pacer's CPU; with the pacer on SCHED_FIFO the
/// kernel typically wakes it within tens of microseconds, and the pacing targets (p99 of
/// 0.5 ms) leave room for the rare later wake-up. Use one clock per pacer thread: the margin
/// is that thread's wake-up history.
public struct MonotonicClock: PacerClock {
    /// Largest early margin (the spin never exceeds it).
    public var spinWindow: UInt64
    private let margin: SpinMargin

    public init(spinWindowMicroseconds: UInt64 = 300) {
        spinWindow = spinWindowMicroseconds * 1000
        margin = SpinMargin(min(spinWindow, 50_000))
    }

    /// CLOCK_MONOTONIC in nanoseconds, without making a clock.
    public static func nanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    public func now() -> UInt64 { Self.nanoseconds() }

    public var isRealTime: Bool { true }

    /// The early margin currently in use, ns.
    public var currentSpin: UInt64 { margin.value.load(ordering: .relaxed) }

    public func sleep(until deadline: UInt64) {
        let start = now()
        guard deadline > start else { return }
        let early = margin.value.load(ordering: .relaxed)
        if deadline - start > early {
            let wake = deadline - early
            var ts = timespec(tv_sec: Int(wake / 1_000_000_000), tv_nsec: Int(wake % 1_000_000_000))
            while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nil) == EINTR {}
            adapt(overshoot: now() &- wake, early: early)
        }
        while now() < deadline {}
    }

    /// Moves the margin 1/8 of the way to the last wake-up's lateness.
    private func adapt(overshoot: UInt64, early: UInt64) {
        let observed = Int64(min(overshoot, spinWindow))
        let next = Int64(early) + (observed - Int64(early)) / 8
        margin.value.store(UInt64(max(0, next)), ordering: .relaxed)
    }
}

/// The adaptive margin, shared by copies of one clock.
private final class SpinMargin: Sendable {
    let value: Atomic<UInt64>
    init(_ initial: UInt64) { value = Atomic(initial) }
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
