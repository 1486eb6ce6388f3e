import Store

/// Why a UMA lookup failed, naming the endpoint. None of these is ever cached.
package enum UMAError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The base URL plus path is not a URL.
    case invalidURL(String)
    /// The connection failed (refused, reset, timed out).
    case transport(path: String, reason: String)
    /// Upstream answered with an unexpected status.
    case http(path: String, status: Int)
    /// Upstream kept answering 429; `retryAfter` is its last advice in seconds, when given.
    case rateLimited(path: String, retryAfter: Double?)
    /// The body did not decode as the expected JSON (which endpoint, what failed).
    case decoding(path: String, reason: String)
    /// The query is empty after normalisation.
    case emptyQuery

    package var description: String {
        switch self {
        case let .invalidURL(url): "invalid URL \(url)"
        case let .transport(path, reason): "cannot reach the UMA API for \(path): \(reason)"
        case let .http(path, status): "the UMA API answered \(status) for \(path)"
        case let .rateLimited(path, retryAfter):
            "the UMA API rate-limited \(path)" + (retryAfter.map { " (retry after \($0) s)" } ?? "")
        case let .decoding(path, reason): "unexpected JSON from \(path): \(reason)"
        case .emptyQuery: "the query is empty"
        }
    }
}
