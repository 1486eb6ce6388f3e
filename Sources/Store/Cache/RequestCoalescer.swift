/// Runs one operation per key at a time: callers asking for a key already in flight wait
/// for that operation's result instead of starting their own (single-flight).
///
/// Results are not kept: once the operation ends, the next caller starts a new one.
actor RequestCoalescer<Value: Sendable> {
    private var inFlight: [String: Task<Value, any Error>] = [:]

    func run(_ key: String, _ operation: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let running = inFlight[key] {
            return try await running.value
        }
        let task = Task { try await operation() }
        inFlight[key] = task
        defer { inFlight[key] = nil }
        return try await task.value
    }

    /// Keys with an operation running now.
    var runningKeys: Int { inFlight.count }
}
