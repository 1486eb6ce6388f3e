/// Spaces request starts so upstream sees at most `requestsPerSecond` and `requestsPerMinute`
/// (umapyoi documents 10/s and 500/min), and holds every request back after a 429.
///
/// Slots are reserved in arrival order, so concurrent callers are spaced, not bunched.
public actor RateLimiter {
    private let interval: Duration
    private let clock = ContinuousClock()
    private var nextSlot: ContinuousClock.Instant

    public init(requestsPerSecond: Double = 10, requestsPerMinute: Double = 500) {
        let seconds = max(1 / max(requestsPerSecond, 0.001), 60 / max(requestsPerMinute, 0.001))
        interval = .nanoseconds(Int64(seconds * 1e9))
        nextSlot = clock.now
    }

    /// Waits until this caller's slot.
    public func acquire() async throws {
        let now = clock.now
        let slot = max(now, nextSlot)
        nextSlot = slot + interval
        if slot > now {
            try await Task.sleep(until: slot, clock: clock)
        }
    }

    /// No slot is handed out before `duration` from now (a 429's Retry-After).
    public func pause(for duration: Duration) {
        nextSlot = max(nextSlot, clock.now + duration)
    }
}
