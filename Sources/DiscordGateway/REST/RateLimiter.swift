import Foundation
import Synchronization

/// What Discord's rate-limit headers said about each bucket, and the global pause (doc §5).
///
/// Buckets are keyed by the `X-RateLimit-Bucket` hash plus the major parameter once Discord has
/// named the hash, and by the route itself before. It only computes waits; the lanes in
/// `DiscordREST` do the waiting, so nothing here blocks.
final class RateLimiter: Sendable {
    struct Limit {
        var remaining: Int
        var resetAt: ContinuousClock.Instant
    }

    struct State {
        var hashes: [String: String] = [:]
        var limits: [String: Limit] = [:]
        var globalUntil: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    private func bucketKey(_ route: Route, _ state: State) -> String {
        let routeKey = "\(route.method.rawValue) \(route.template)"
        return "\(state.hashes[routeKey] ?? routeKey)|\(route.majorParameter ?? "")"
    }

    /// The key before Discord named the bucket. A 429 is kept under it too: another request
    /// of the route may learn the hash while this one waits, and the wait must not get lost.
    private func routeKey(_ route: Route) -> String {
        "\(route.method.rawValue) \(route.template)|\(route.majorParameter ?? "")"
    }

    /// How long `route` must wait before its next request (zero when it may go now).
    func delay(for route: Route, now: ContinuousClock.Instant = .now) -> Duration {
        state.withLock { state in
            var until = now
            if !route.isInteraction, let global = state.globalUntil, global > until { until = global }
            for key in [bucketKey(route, state), routeKey(route)] {
                if let limit = state.limits[key], limit.remaining <= 0, limit.resetAt > until { until = limit.resetAt }
            }
            return until - now
        }
    }

    /// Records the `X-RateLimit-*` headers of a response (header names lowercased).
    func update(route: Route, headers: [String: String], now: ContinuousClock.Instant = .now) {
        state.withLock { state in
            let routeKey = "\(route.method.rawValue) \(route.template)"
            if let hash = headers["x-ratelimit-bucket"], !hash.isEmpty { state.hashes[routeKey] = hash }
            guard let remaining = headers["x-ratelimit-remaining"].flatMap({ Int($0) }),
                let resetAfter = headers["x-ratelimit-reset-after"].flatMap({ Double($0) })
            else { return }
            state.limits[bucketKey(route, state)] = Limit(remaining: remaining, resetAt: now + .seconds(resetAfter))
            // Interaction routes make a bucket per token; forget the ones whose window is over.
            if state.limits.count > 512 { state.limits = state.limits.filter { $0.value.resetAt > now } }
        }
    }

    /// Records a 429: the bucket (or, when `global`, every non-interaction route) waits `retryAfter`.
    func rateLimited(route: Route, retryAfter: Double, global: Bool, now: ContinuousClock.Instant = .now) {
        let until = now + .seconds(max(0, retryAfter))
        state.withLock { state in
            if global {
                if (state.globalUntil ?? now) < until { state.globalUntil = until }
            } else {
                state.limits[bucketKey(route, state)] = Limit(remaining: 0, resetAt: until)
                state.limits[routeKey(route)] = Limit(remaining: 0, resetAt: until)
            }
        }
    }
}
