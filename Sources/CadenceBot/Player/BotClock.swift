import Synchronization

/// Where the bot's housekeeping reads the time: elapsed time since some fixed start.
/// Injected so auto-leave can be tested by moving a fake clock instead of waiting 5 minutes.
package struct BotClock: Sendable {
    package let now: @Sendable () -> Duration

    package init(now: @escaping @Sendable () -> Duration) { self.now = now }

    /// The real clock: a monotonic clock that does not jump with wall-clock changes.
    package static func continuous() -> BotClock {
        let start = ContinuousClock.now
        return BotClock { ContinuousClock.now - start }
    }

    /// A clock that only moves when told to, for tests.
    package static func manual() -> (clock: BotClock, advance: @Sendable (Duration) -> Void) {
        let time = Mutex(Duration.zero)
        return (BotClock { time.withLock { $0 } }, { step in time.withLock { $0 += step } })
    }
}
