import Foundation
import Hummingbird

/// An answer other than 2xx, rendered as Spring's error JSON with Lavalink's message.
///
/// `message` is what Lavalink says for the same case (the reference's §1.1); `nil` leaves
/// Spring's message out, as for 401/403 whose body is empty.
package struct NodeHTTPError: Error, Sendable, CustomStringConvertible {
    package var status: HTTPResponse.Status
    package var message: String?
    /// Where it went wrong, for `?trace=true`.
    package var trace: String?

    package init(status: HTTPResponse.Status, message: String?, trace: String? = nil) {
        self.status = status
        self.message = message
        self.trace = trace
    }

    package static func badRequest(_ message: String) -> NodeHTTPError { .init(status: .badRequest, message: message) }
    package static func notFound(_ message: String) -> NodeHTTPError { .init(status: .notFound, message: message) }
    package static func internalError(_ message: String) -> NodeHTTPError { .init(status: .internalServerError, message: message) }

    package static let sessionNotFound = NodeHTTPError.notFound("Session not found")
    package static let playerNotFound = NodeHTTPError.notFound("Player not found")

    package var description: String { "\(status.code) \(message ?? "")" }

    /// Spring Boot's `DefaultErrorAttributes` shape: timestamp, status, error, [trace], message, path.
    package func body(path: String, includeTrace: Bool, now: Date = Date()) -> JSONValue {
        var members: [String: JSONValue] = [
            "timestamp": .int(Int64(now.timeIntervalSince1970 * 1000)),
            "status": .int(Int64(status.code)),
            "error": .string(status.reasonPhrase),
            "message": .string(message ?? "No message available"),
            "path": .string(path)
        ]
        if includeTrace {
            members["trace"] = .string("lavalink.server.CadenceNode: \(status.code) \(message ?? "")\n\tat \(trace ?? path)")
        }
        return .object(members)
    }
}
