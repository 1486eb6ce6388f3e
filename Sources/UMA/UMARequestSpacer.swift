import Store

/// Keeps upstream within umapyoi's published limits (10 requests/s, 500/min) as the server
/// sees them, and holds every request back after a 429.
///
/// Two rules together: request starts are spaced by `interval` (120 ms for the defaults), and
/// at most one request is in flight. Spacing alone only bounds when requests *leave*; a stall
/// in connection setup can bunch them up on arrival. With one in flight, request i has
/// arrived before request i+1 starts, so any 11 arrivals span at least 9 intervals (1.08 s).
/// Upstream calls are rare (everything is cached), so serialising them costs little.
package actor UMARequestSpacer {
    private let interval: Duration
    private let clock = ContinuousClock()
    private var nextSlot: ContinuousClock.Instant
    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    package init(requestsPerSecond: Double = 10, requestsPerMinute: Double = 500) {
        let seconds = max(1 / max(requestsPerSecond, 0.001), 60 / max(requestsPerMinute, 0.001))
        interval = .nanoseconds(Int64(seconds * 1e9))
        nextSlot = clock.now
    }

    /// Waits for the permit and then for this caller's slot. Every successful `acquire`
    /// must be paired with one `release`.
    package func acquire() async throws {
        if busy {
            // `release` hands the permit over directly, so `busy` stays true for us.
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        let now = clock.now
        let slot = max(now, nextSlot)
        nextSlot = slot + interval
        if slot > now {
            do {
                try await Task.sleep(until: slot, clock: clock)
            } catch {
                release()
                throw error
            }
        }
    }

    /// Gives the permit to the next waiter, if any.
    package func release() {
        if waiters.isEmpty {
            busy = false
        } else {
            waiters.removeFirst().resume()
        }
    }

    /// No slot is handed out before `duration` from now (a 429's Retry-After).
    package func pause(for duration: Duration) {
        nextSlot = max(nextSlot, clock.now + duration)
    }
}
