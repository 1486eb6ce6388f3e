import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import Synchronization

/// Discord's REST API on AsyncHTTPClient: bot authorization, JSON bodies, per-route rate-limit
/// buckets, 429 and 5xx retries.
///
/// Guarantees:
/// - requests on one route (same major parameter) go out one at a time, in the order they were
///   `enqueue`d, and each is retried until it succeeds or fails for a reason retrying cannot fix;
///   a 429 is never surfaced while retries remain (`max429Retries`);
/// - `Remaining: 0` waits for `Reset-After` before the next request of that bucket; a global 429
///   pauses every non-interaction route;
/// - 5xx and transport failures retry with capped exponential backoff (`maxServerRetries`);
/// - after a 401 every later request fails at once with `.unauthorized`, as Discord asks;
/// - the token is only ever written into the Authorization header, never logged or put in errors.
package final class DiscordREST: Sendable {
    /// Where and how to call Discord.
    package struct Configuration: Sendable {
        package var token: String
        /// `https://discord.com/api/v10`, or the simulator's `http://127.0.0.1:P/api/v10`.
        package var baseURL: String
        package var userAgent: String
        /// Retries of a 5xx or failed connection before giving up.
        package var maxServerRetries: Int
        /// Retries after 429 before giving up (each waits the `retry_after` Discord asked for).
        package var max429Retries: Int
        /// Cap on one backoff wait.
        package var maxBackoff: Double
        package var requestTimeout: Double

        package init(
            token: String, baseURL: String = DiscordEndpoints.defaultAPIBaseURL,
            userAgent: String = "DiscordBot (https://github.com/cadence, 1.0)", maxServerRetries: Int = 4,
            max429Retries: Int = 25, maxBackoff: Double = 8, requestTimeout: Double = 15
        ) {
            self.token = token
            self.baseURL = baseURL
            self.userAgent = userAgent
            self.maxServerRetries = maxServerRetries
            self.max429Retries = max429Retries
            self.maxBackoff = maxBackoff
            self.requestTimeout = requestTimeout
        }
    }

    /// A completed response (any 2xx).
    package struct Response: Sendable {
        package var status: Int
        package var body: Data
    }

    package let configuration: Configuration
    let httpClient: HTTPClient
    let limiter = RateLimiter()
    let lanes = Mutex<[String: Task<Void, Never>]>([:])
    /// Set by a 401: Discord says to stop using a token it refused (doc §5).
    let tokenRejected = Mutex(false)
    let logger: Logger

    package init(
        configuration: Configuration, httpClient: HTTPClient = .shared,
        logger: Logger = Logger(label: "cadence.discord.rest")
    ) {
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
    }

    /// Queues a request on its route's lane now (so calls made in order are sent in order) and
    /// returns the task that completes with its response.
    package func enqueue(_ route: Route, body: Data? = nil) -> Task<Response, any Error> {
        lanes.withLock { lanes in
            let previous = lanes[route.laneKey]
            let task = Task<Response, any Error> {
                await previous?.value
                return try await self.perform(route, body: body)
            }
            let key = route.laneKey
            // The lane's tail; it removes itself when nothing queued behind it, so one-off
            // lanes (every interaction token is its own) do not accumulate.
            let tail = Mutex<Task<Void, Never>?>(nil)
            let finished = Task { [weak self] in
                _ = try? await task.value
                guard let self, let me = tail.withLock({ $0 }) else { return }
                self.lanes.withLock { lanes in if lanes[key] == me { lanes[key] = nil } }
            }
            tail.withLock { $0 = finished }
            lanes[key] = finished
            return task
        }
    }

    /// Sends a request and waits for its response; see `enqueue` for ordering.
    package func send(_ route: Route, body: Data? = nil) async throws(DiscordRESTError) -> Response {
        do {
            return try await enqueue(route, body: body).value
        } catch let error as DiscordRESTError {
            throw error
        } catch {
            throw .transport(route: route.description, reason: "\(error)")
        }
    }

    /// Sends `body` encoded as JSON and decodes the answer as `Result`.
    func sendJSON<Body: Encodable, Result: Decodable>(_ route: Route, _ body: Body?, as _: Result.Type) async throws(DiscordRESTError)
        -> Result
    {
        let response = try await send(route, body: try encode(body, route: route))
        do {
            return try JSONDecoder().decode(Result.self, from: response.body)
        } catch {
            throw .badResponse(route: route.description, reason: "\(error)")
        }
    }

    func encode<Body: Encodable>(_ body: Body?, route: Route) throws(DiscordRESTError) -> Data? {
        guard let body else { return nil }
        do {
            return try JSONEncoder().encode(body)
        } catch {
            throw .invalidRequest("\(route): body does not encode: \(error)")
        }
    }
}
