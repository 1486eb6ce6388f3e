/// Everything a session writes, in order: any task queues, and one task drains into the socket.
/// Keeping one writer is what lets each protocol order its frames (op 5 before the packet held
/// behind it; Identify before anything else; a close frame last).
package final class Outbox<Item: Sendable>: Sendable {
    private let stream: AsyncStream<Item>
    private let input: AsyncStream<Item>.Continuation

    package init() { (stream, input) = AsyncStream.makeStream(bufferingPolicy: .unbounded) }

    package func send(_ item: Item) { input.yield(item) }

    /// Ends the outbox; the drain returns once what was queued is handled.
    package func finish() { input.finish() }

    /// Hands each item to `write` in order until `write` returns false (a close frame went out)
    /// or the outbox is finished.
    package func drain(_ write: (Item) async throws -> Bool) async throws {
        for await item in stream {
            guard try await write(item) else { return }
        }
    }
}
