/// Time elapsed on a `Clock` since this was made. The idle and alone timers and `/about`'s
/// uptime keep plain `Duration`s, which need no instant type of the clock's; the clock itself
/// is the one abstraction every service takes (`ContinuousClock` running, `ManualClock` in
/// tests).
struct Stopwatch: Sendable {
    private let read: @Sendable () -> Duration

    init<C: Clock>(_ clock: C) where C.Duration == Duration {
        let start = clock.now
        read = { start.duration(to: clock.now) }
    }

    func callAsFunction() -> Duration { read() }
}
