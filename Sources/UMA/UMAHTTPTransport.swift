import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Store

/// GETs umapyoi paths through the rate limiter (one request in flight, starts spaced) and turns responses into `UpstreamAnswer`s:
/// 200 → fresh (with validators), 204 → fresh empty array, 304 → not modified, 404 → not found.
/// A 429 waits for Retry-After (or 1, 2, 4 s) and retries up to `maxRetries` times; anything
/// else throws `UMAError`.
struct UMAHTTPTransport: Sendable {
    let baseURL: String
    let client: HTTPClient
    let limiter: UMARequestSpacer
    var timeout: TimeAmount = .seconds(10)
    var maxRetries = 3
    /// A Retry-After longer than this fails the request now (stale data is better than a hang).
    var maxRetryAfter: Double = 30
    static let maxBodyBytes = 8 << 20

    func get(_ path: String, validators: Validators?) async throws -> UpstreamAnswer {
        let url = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) + path : baseURL + path
        guard URL(string: url) != nil else { throw UMAError.invalidURL(url) }
        var attempt = 0
        while true {
            try await limiter.acquire()
            var request = HTTPClientRequest(url: url)
            request.headers.add(name: "Accept", value: "application/json")
            request.headers.add(name: "User-Agent", value: "cadence (Discord music bot)")
            if let etag = validators?.etag { request.headers.add(name: "If-None-Match", value: etag) }
            if let date = validators?.lastModified { request.headers.add(name: "If-Modified-Since", value: date) }
            let status: Int, headers: HTTPHeaders, body: ByteBuffer
            do {
                let response = try await client.execute(request, timeout: timeout)
                status = Int(response.status.code)
                headers = response.headers
                body = try await response.body.collect(upTo: Self.maxBodyBytes)
                await limiter.release()
            } catch {
                await limiter.release()
                throw UMAError.transport(path: path, reason: "\(error)")
            }
            let answered = Validators(etag: headers.first(name: "ETag"), lastModified: headers.first(name: "Last-Modified"))
            switch status {
            case 200: return .fresh(body: String(buffer: body), validators: answered)
            case 204: return .fresh(body: "[]", validators: answered)
            case 304: return .notModified(validators: answered)
            case 404: return .notFound(body: "")
            case 429:
                let advice = Self.retryAfterSeconds(headers.first(name: "Retry-After"))
                let wait = advice ?? Double(1 << attempt)
                guard attempt < maxRetries, wait <= maxRetryAfter else {
                    throw UMAError.rateLimited(path: path, retryAfter: advice)
                }
                await limiter.pause(for: .nanoseconds(Int64(wait * 1e9)))
                attempt += 1
            default:
                throw UMAError.http(path: path, status: status)
            }
        }
    }

    /// Retry-After as seconds from now: either delta-seconds or an HTTP date.
    static func retryAfterSeconds(_ value: String?, now: Date = Date()) -> Double? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return seconds }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return max(0, date.timeIntervalSince(now))
    }
}
