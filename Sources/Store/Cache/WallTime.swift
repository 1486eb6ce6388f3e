import Foundation

/// The calendar date that expiry rules compare stored dates against.
///
/// Time in Cadence is one abstraction, `Clock<Duration>` (the pacer's monotonic clock aside).
/// Stored expiry dates still need a calendar date, so this reads it either from the system
/// (`system`, which follows NTP corrections, as a box that boots before its clock is set
/// needs) or off a `Clock`: the date at `origin`, moved on by the clock's elapsed time. A test
/// drives its TTLs and its timers with one `ManualClock` that way.
package struct WallTime: Sendable {
    private let read: @Sendable () -> Date

    /// The system's calendar clock.
    package static let system = WallTime(read: { Date() })

    /// `origin` now, moving with `clock`.
    package init<C: Clock>(_ clock: C, origin: Date) where C.Duration == Duration {
        let start = clock.now
        read = {
            let (seconds, attoseconds) = start.duration(to: clock.now).components
            return origin.addingTimeInterval(TimeInterval(seconds) + TimeInterval(attoseconds) * 1e-18)
        }
    }

    private init(read: @escaping @Sendable () -> Date) { self.read = read }

    package var now: Date { read() }
}
