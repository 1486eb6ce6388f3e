import Foundation
import Store
import Testing
import UMAServerSim

/// When the API sends validators, an expired row is confirmed with a conditional request.
@Suite("UMA conditional revalidation")
struct UMARevalidationTests {
    @Test("ETag: an expired row is revalidated with If-None-Match, the 304 renews it")
    func etag() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        env.server.setValidators(etag: true, lastModified: false)
        let first = try await env.client.character(id: 4879)
        let etag = try #require(try await env.client.cache.repository.entry(for: "detail:4879")?.etag)

        env.clock.advance(by: .seconds(25 * 3600))
        let second = try await env.client.character(id: 4879)
        #expect(second.freshness == .revalidated)
        #expect(second.value == first.value)
        #expect(env.server.requests.map(\.status) == [200, 304])
        let row = try #require(try await env.client.cache.repository.entry(for: "detail:4879"))
        #expect(row.etag == etag)
        #expect(row.expiresAt == env.now.addingTimeInterval(24 * 3600))

        #expect(try await env.client.character(id: 4879).freshness == .cached)
        #expect(env.server.totalRequests == 2)
    }

    @Test("Last-Modified: If-Modified-Since gets a 304")
    func lastModified() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        env.server.setValidators(etag: false, lastModified: true)
        _ = try await env.client.characterList()
        env.clock.advance(by: .seconds(25 * 3600))
        let again = try await env.client.characterList()
        #expect(again.freshness == .revalidated)
        #expect(again.value.count == 5)
        #expect(env.server.requests.map(\.status) == [200, 304])
    }

    @Test("without validators an expired row is simply fetched again")
    func noValidators() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        _ = try await env.client.characterList()
        #expect(try await env.client.cache.repository.entry(for: "list")?.etag == nil)
        env.clock.advance(by: .seconds(25 * 3600))
        #expect(try await env.client.characterList().freshness == .fetched)
        #expect(env.server.requests.map(\.status) == [200, 200])
    }
}
