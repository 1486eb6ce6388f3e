/// What went wrong in the store, with enough context to act on it.
public enum StoreError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The database file could not be opened, created or migrated.
    case cannotOpen(path: String, reason: String)
    /// A read or write failed in SQLite.
    case database(operation: String, reason: String)
    /// A caller passed a value the store refuses (which parameter, and why).
    case invalidArgument(name: String, reason: String)
    /// A stored row could not be decoded (which key, which field).
    case corruptRow(key: String, reason: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, reason): "cannot open database \(path): \(reason)"
        case let .database(operation, reason): "database \(operation) failed: \(reason)"
        case let .invalidArgument(name, reason): "invalid \(name): \(reason)"
        case let .corruptRow(key, reason): "cached row \(key) is unreadable: \(reason)"
        }
    }
}
