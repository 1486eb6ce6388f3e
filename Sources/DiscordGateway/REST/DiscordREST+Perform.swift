import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

extension DiscordREST {
    /// One request through rate limits and retries. Runs inside the route's lane.
    func perform(_ route: Route, body: Data?) async throws -> Response {
        var serverFailures = 0
        var limited = 0
        while true {
            if tokenRejected.withLock({ $0 }) { throw DiscordRESTError.unauthorized(route: route.description) }
            let wait = limiter.delay(for: route)
            if wait > .zero { try await Task.sleep(for: wait) }
            let status: Int
            let headers: [String: String]
            let data: Data
            do {
                (status, headers, data) = try await execute(route, body: body)
            } catch {
                serverFailures += 1
                guard serverFailures <= configuration.maxServerRetries else {
                    throw DiscordRESTError.transport(route: route.description, reason: "\(error)")
                }
                logger.warning("discord REST transport error, retrying", metadata: ["route": "\(route)", "attempt": "\(serverFailures)"])
                try await Task.sleep(for: backoff(serverFailures))
                continue
            }
            limiter.update(route: route, headers: headers)
            switch status {
            case 200..<300:
                return Response(status: status, body: data)
            case 429:
                limited += 1
                let info = RateLimitBody.parse(data, headers: headers)
                limiter.rateLimited(route: route, retryAfter: info.retryAfter, global: info.global)
                guard limited <= configuration.max429Retries else {
                    throw DiscordRESTError.http(
                        route: route.description, status: 429, code: nil,
                        message: "still rate limited after \(limited - 1) retries")
                }
                logger.info(
                    "discord REST rate limited",
                    metadata: [
                        "route": "\(route)", "retry_after": "\(info.retryAfter)",
                        "global": "\(info.global)"
                    ])
            case 401:
                tokenRejected.withLock { $0 = true }
                throw DiscordRESTError.unauthorized(route: route.description)
            case 500..<600:
                serverFailures += 1
                guard serverFailures <= configuration.maxServerRetries else { throw httpError(route, status, data) }
                try await Task.sleep(for: backoff(serverFailures))
            default:
                throw httpError(route, status, data)
            }
        }
    }

    /// 0.25 s, 0.5 s, 1 s, … capped, with up to 25 % jitter so retrying bots do not align.
    func backoff(_ attempt: Int) -> Duration {
        let base = min(configuration.maxBackoff, 0.25 * pow(2, Double(attempt - 1)))
        return .seconds(base * Double.random(in: 0.75...1))
    }

    private func execute(_ route: Route, body: Data?) async throws -> (Int, [String: String], Data) {
        var request = HTTPClientRequest(url: configuration.baseURL + route.path)
        request.method = HTTPMethod(rawValue: route.method.rawValue)
        request.headers.add(name: "Authorization", value: "Bot \(configuration.token)")
        request.headers.add(name: "User-Agent", value: configuration.userAgent)
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await httpClient.execute(request, timeout: .milliseconds(Int64(configuration.requestTimeout * 1000)))
        let buffer = try await response.body.collect(upTo: 8 << 20)
        var headers: [String: String] = [:]
        for (name, value) in response.headers { headers[name.lowercased()] = value }
        return (Int(response.status.code), headers, Data(buffer.readableBytesView))
    }

    private func httpError(_ route: Route, _ status: Int, _ data: Data) -> DiscordRESTError {
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let code = (object?["code"] as? NSNumber)?.intValue
        let message = object?["message"] as? String ?? String(decoding: data.prefix(200), as: UTF8.self)
        return .http(route: route.description, status: status, code: code, message: message)
    }
}

/// The part of a 429 that matters: how long to wait and whether the whole bot must.
struct RateLimitBody {
    var retryAfter: Double
    var global: Bool

    static func parse(_ data: Data, headers: [String: String]) -> RateLimitBody {
        let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        let retry =
            (object?["retry_after"] as? NSNumber)?.doubleValue
            ?? headers["retry-after"].flatMap(Double.init) ?? 1
        let global =
            (object?["global"] as? Bool) ?? false || headers["x-ratelimit-global"]?.lowercased() == "true"
            || headers["x-ratelimit-scope"] == "global"
        return RateLimitBody(retryAfter: retry, global: global)
    }
}
