/// A heartbeat on the interval the server's Hello announced: the first beat at a random point
/// of the interval (so reconnecting clients do not beat in step), then one per interval.
package enum Heartbeat {
    /// Waits for the interval (ms) from `hello`, then calls `beat` on schedule until it returns
    /// false (the previous beats went unanswered and `beat` queued a close) or the task is
    /// cancelled. After false it stays in the session's group, so the outbox gets to write the
    /// close frame before the session ends. `minimum` (s) guards against a zero interval; `firstAt` is the share of the
    /// interval the first beat may come at.
    package static func run(
        hello: AsyncStream<Double>, minimum: Double, firstAt: ClosedRange<Double>,
        beat: @Sendable () -> Bool
    ) async throws {
        var iterator = hello.makeAsyncIterator()
        guard let intervalMs = await iterator.next() else { return }
        let interval = max(minimum, intervalMs / 1000)
        try await Task.sleep(for: .seconds(interval * Double.random(in: firstAt)))
        while !Task.isCancelled {
            guard beat() else {
                try await Task.sleep(for: .seconds(1_000_000))
                return
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }
}

/// A server that accepts the socket but never completes the handshake would hold the client
/// forever: after `seconds`, `onTimeout` runs unless `isDone` says the handshake completed.
package enum HandshakeDeadline {
    package static func run(seconds: Double, isDone: @Sendable () -> Bool, onTimeout: @Sendable () -> Void)
        async throws
    {
        try await Task.sleep(for: .seconds(seconds))
        if !isDone() { onTimeout() }
        // Stay in the session's group until cancelled: the reader decides when the session ends.
        try await Task.sleep(for: .seconds(1_000_000))
    }
}
