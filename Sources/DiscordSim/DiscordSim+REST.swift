import Foundation
import NIOHTTP1

/// A REST answer before it is written.
struct SimAnswer {
    var status: Int
    var headers: [(String, String)] = []
    var body = ""
}

extension DiscordSim {
    /// Answers one REST request: auth, rate limits, then the route (doc §7).
    func answerREST(method: String, uri: String, headers: HTTPHeaders, body: String) -> SimAnswer {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        let authorized = headers["Authorization"].first == "Bot \(configuration.token)"
        let userAgentOK = headers["User-Agent"].first?.hasPrefix("DiscordBot (") ?? false
        var answer: SimAnswer
        if !path.hasPrefix("/api/v10/") {
            answer = SimAnswer(status: 404, body: #"{"message":"404: Not Found","code":0}"#)
        } else if !authorized {
            answer = SimAnswer(status: 401, body: #"{"message":"401: Unauthorized","code":0}"#)
        } else {
            let parts = path.dropFirst("/api/v10/".count).split(separator: "/").map(String.init)
            let route = Self.template(method: method, parts: parts)
            if let failure = injectedServerError() {
                answer = failure
            } else if let limited = rateLimit(route: route) {
                answer = limited
            } else {
                answer = routeAnswer(method: method, parts: parts, body: body)
                answer.headers += bucketHeaders(route: route)
            }
        }
        state.withLock { state in
            if !userAgentOK { state.report.violations.append("REST call without a DiscordBot user agent: \(method) \(path)") }
            state.report.restCalls.append(
                .init(
                    method: method, path: path, body: body, status: answer.status,
                    authorized: authorized, userAgentOK: userAgentOK, at: .now))
        }
        return answer
    }

    /// `METHOD template|major`: the bucket key, as Discord would group the route.
    static func template(method: String, parts: [String]) -> String {
        switch parts.first {
        case "applications" where parts.count >= 5: "\(method) /applications/{app}/guilds/{guild}/commands|\(parts[3])"
        case "applications": "\(method) /applications/{app}/commands|"
        case "interactions": "\(method) /interactions/{id}/{token}/callback|\(parts.count > 1 ? parts[1] : "")"
        case "webhooks" where parts.count > 3: "\(method) /webhooks/{app}/{token}/messages/{m}|\(parts.prefix(3).joined(separator: "/"))"
        case "webhooks": "\(method) /webhooks/{app}/{token}|\(parts.prefix(3).joined(separator: "/"))"
        default: "\(method) /\(parts.joined(separator: "/"))|"
        }
    }

    private func injectedServerError() -> SimAnswer? {
        state.withLock { state in
            guard let errors = state.serverErrors, errors.remaining > 0 else { return nil }
            state.serverErrors = errors.remaining > 1 ? (errors.remaining - 1, errors.status) : nil
            return SimAnswer(status: errors.status, body: #"{"message":"injected server error","code":0}"#)
        }
    }

    /// A 429 when a storm is on, the bucket is spent, or the client retried too early.
    private func rateLimit(route: String) -> SimAnswer? {
        state.withLock { state -> SimAnswer? in
            let now = ContinuousClock.now
            var bucket = state.buckets[route] ?? Bucket(windowStart: now)
            if let notBefore = bucket.retryNotBefore, notBefore > now { state.report.earlyRetries += 1 }
            let interactionRoute = route.contains("/interactions/") || route.contains("/webhooks/")
            if !interactionRoute, let global = state.globalNotBefore, global > now { state.report.earlyRetries += 1 }
            if let storm = state.storm, storm.remaining > 0 {
                state.storm = storm.remaining > 1 ? (storm.remaining - 1, storm.retryAfter, storm.global) : nil
                let until = now + .seconds(storm.retryAfter)
                if storm.global { state.globalNotBefore = until } else { bucket.retryNotBefore = until }
                state.buckets[route] = bucket
                state.report.rateLimited += 1
                return Self.tooMany(retryAfter: storm.retryAfter, global: storm.global)
            }
            if now - bucket.windowStart >= .seconds(configuration.bucketWindow) {
                bucket.windowStart = now
                bucket.count = 0
            }
            bucket.count += 1
            if bucket.count > configuration.bucketLimit {
                let left = (Self.seconds(bucket.windowStart + .seconds(configuration.bucketWindow) - now) * 1000).rounded(.up) / 1000
                bucket.retryNotBefore = now + .seconds(left)
                state.buckets[route] = bucket
                state.report.rateLimited += 1
                state.report.violations.append("request on \(route) after Remaining reached 0")
                return Self.tooMany(retryAfter: left, global: false)
            }
            state.buckets[route] = bucket
            return nil
        }
    }

    private static func tooMany(retryAfter: Double, global: Bool) -> SimAnswer {
        var headers = [
            ("Retry-After", String(format: "%.3f", (retryAfter * 1000).rounded(.up) / 1000)),
            ("X-RateLimit-Scope", global ? "global" : "user")
        ]
        if global { headers.append(("X-RateLimit-Global", "true")) }
        let body = #"{"message":"You are being rate limited.","retry_after":\#(retryAfter),"global":\#(global),"code":0}"#
        return SimAnswer(status: 429, headers: headers, body: body)
    }

    private func bucketHeaders(route: String) -> [(String, String)] {
        state.withLock { state in
            let now = ContinuousClock.now
            let bucket = state.buckets[route] ?? Bucket(windowStart: now)
            let resetAfter = max(0, Self.seconds(bucket.windowStart + .seconds(configuration.bucketWindow) - now))
            let hash = String(route.split(separator: "|").first ?? "").utf8.reduce(UInt32(2166136261)) { ($0 ^ UInt32($1)) &* 16777619 }
            return [
                ("X-RateLimit-Limit", "\(configuration.bucketLimit)"),
                ("X-RateLimit-Remaining", "\(max(0, configuration.bucketLimit - bucket.count))"),
                ("X-RateLimit-Reset-After", String(format: "%.3f", (resetAfter * 1000).rounded(.up) / 1000)),
                ("X-RateLimit-Bucket", String(hash, radix: 16))
            ]
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    private func routeAnswer(method: String, parts: [String], body: String) -> SimAnswer {
        switch (method, parts.count, parts.first) {
        case ("GET", 2, "gateway") where parts[1] == "bot":
            let object: [String: Any] = [
                "url": gatewayURL, "shards": configuration.shards,
                "session_start_limit": [
                    "total": 1000, "remaining": 999, "reset_after": 14_400_000,
                    "max_concurrency": configuration.maxConcurrency
                ]
            ]
            return SimAnswer(status: 200, body: Self.encode(object))
        case ("PUT", _, "applications") where parts.last == "commands":
            guard parts[1] == configuration.applicationID else { return Self.error(404, 10002, "Unknown Application") }
            guard var commands = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [[String: Any]] else {
                return Self.error(400, 50035, "Invalid Form Body")
            }
            for index in commands.indices { commands[index]["id"] = nextID("120000000000000") }
            let json = String(decoding: (try? JSONSerialization.data(withJSONObject: commands)) ?? Data(), as: UTF8.self)
            return SimAnswer(status: 200, body: json)
        case ("POST", 4, "interactions") where parts[3] == "callback":
            return interactionCallback(id: parts[1], token: parts[2])
        case ("DELETE", 5, "webhooks"):
            guard parts[1] == configuration.applicationID,
                state.withLock({ state in
                    state.interactions.values.contains { $0.token == parts[2] }
                })
            else { return Self.error(404, 10015, "Unknown Webhook") }
            return SimAnswer(status: 204)
        case ("PATCH", 5, "webhooks"), ("POST", 3, "webhooks"):
            guard parts[1] == configuration.applicationID,
                state.withLock({ state in
                    state.interactions.values.contains { $0.token == parts[2] }
                })
            else { return Self.error(404, 10015, "Unknown Webhook") }
            let object = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
            if let content = object["content"] as? String, content.count > 2000 { return Self.error(400, 50035, "Invalid Form Body") }
            let message: [String: Any] = [
                "id": nextID("130000000000000"), "channel_id": "\(configuration.guilds.first?.id ?? "9")1",
                "content": object["content"] ?? "", "embeds": object["embeds"] ?? []
            ]
            return SimAnswer(status: 200, body: Self.encode(message))
        default:
            return Self.error(404, 0, "404: Not Found")
        }
    }

    private func interactionCallback(id: String, token: String) -> SimAnswer {
        state.withLock { state in
            guard var interaction = state.interactions[id], interaction.token == token,
                ContinuousClock.now - interaction.createdAt <= .seconds(configuration.interactionDeadline) || interaction.answered
            else { return Self.error(404, 10062, "Unknown interaction") }
            guard !interaction.answered else { return Self.error(400, 40060, "Interaction has already been acknowledged.") }
            interaction.answered = true
            state.interactions[id] = interaction
            return SimAnswer(status: 204)
        }
    }

    static func error(_ status: Int, _ code: Int, _ message: String) -> SimAnswer {
        SimAnswer(status: status, body: encode(["code": code, "message": message]))
    }
}
