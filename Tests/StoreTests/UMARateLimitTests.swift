import Foundation
import Store
import Testing
import UMA
import UMAServerSim

/// The client stays within umapyoi's published limits and obeys 429s.
@Suite("UMA rate limiting")
struct UMARateLimitTests {
    @Test("a 429 with Retry-After: 1 is retried no sooner than 1 s later, then succeeds")
    func honoursRetryAfter() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        env.server.setFault(.tooManyRequests(retryAfter: "1", times: 1))

        let started = ContinuousClock.now
        let result = try await env.client.character(id: 4737)
        let elapsed = ContinuousClock.now - started

        #expect(result.value?.nameEn == "Special Week")
        let requests = env.server.requests
        #expect(requests.map(\.status) == [429, 200])
        #expect(requests[1].at - requests[0].at >= .seconds(1))
        #expect(elapsed >= .seconds(1))
    }

    @Test("a 429 without Retry-After backs off and retries")
    func backsOffWithoutAdvice() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        env.server.setFault(.tooManyRequests(retryAfter: nil, times: 2))
        let result = try await env.client.character(id: 4737)
        #expect(result.value != nil)
        let requests = env.server.requests
        #expect(requests.map(\.status) == [429, 429, 200])
        #expect(requests[1].at - requests[0].at >= .seconds(1))
        #expect(requests[2].at - requests[1].at >= .seconds(2))
    }

    @Test("a Retry-After too long to wait fails at once, falls back to stale data, and is not cached")
    func longRetryAfterFallsBack() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        env.server.setFault(.tooManyRequests(retryAfter: "3600", times: 100))
        await #expect(throws: UMAError.rateLimited(path: "/character/4737", retryAfter: 3600)) {
            try await env.client.character(id: 4737)
        }
        #expect(try await env.client.cache.repository.entry(for: "detail:4737") == nil)
        env.server.setFault(nil)
        _ = try await env.client.character(id: 4737)
        env.clock.advance(by: .seconds(25 * 3600))
        env.server.setFault(.tooManyRequests(retryAfter: "3600", times: 100))
        #expect(try await env.client.character(id: 4737).freshness == .stale)
    }

    @Test("with the default limits, no second sees more than 10 requests arrive at the server")
    func pacing() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let client = env.makeClient(limiter: UMARequestSpacer())
        try await withThrowingTaskGroup(of: Void.self) { group in
            for id in [4737, 4536, 4550, 4879, 90001, 1001, 1002, 1003, 1006, 4737 + 1, 4536 + 1, 4550 + 1] {
                group.addTask { _ = try await client.character(id: id) }
            }
            try await group.waitForAll()
        }
        // Unpaced, all 12 would arrive within a few milliseconds.
        let times = env.server.requests.map(\.at).sorted()
        #expect(times.count == 12)
        for index in 10..<times.count {
            #expect(times[index] - times[index - 10] >= .seconds(1), "11 requests within one second")
        }
    }

    @Test("Retry-After as an HTTP date")
    func retryAfterDate() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let text = formatter.string(from: Date().addingTimeInterval(3))
        let retryDate = try #require(formatter.date(from: text))
        env.server.setFault(.tooManyRequests(retryAfter: text, times: 1))
        _ = try await env.client.character(id: 4737)
        #expect(env.server.requests.map(\.status) == [429, 200])
        #expect(Date() >= retryDate, "the retry went out before the date the server named")
    }
}
