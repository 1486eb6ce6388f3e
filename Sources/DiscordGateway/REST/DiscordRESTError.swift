/// Why a REST call failed. The description is one line naming the route and the cause; it
/// never contains the bot token (routes with an interaction token show it elided).
package enum DiscordRESTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request was refused before sending (a limit from the docs, a bad base URL).
    case invalidRequest(String)
    /// Discord answered with an error status; `code` is Discord's JSON error code (10062, 40060, …).
    case http(route: String, status: Int, code: Int?, message: String)
    /// 401: the token is wrong. Stop using it (doc §5).
    case unauthorized(route: String)
    /// The connection failed and retries ran out.
    case transport(route: String, reason: String)
    /// The response body did not decode.
    case badResponse(route: String, reason: String)

    package var description: String {
        switch self {
        case let .invalidRequest(why): "invalid request: \(why)"
        case let .http(route, status, code, message):
            "\(route) failed with HTTP \(status)\(code.map { " (code \($0))" } ?? ""): \(message)"
        case let .unauthorized(route): "\(route) was refused with 401: the token is invalid"
        case let .transport(route, reason): "\(route) failed: \(reason)"
        case let .badResponse(route, reason): "\(route) returned an unreadable body: \(reason)"
        }
    }
}
