import Foundation
import Store
import Testing
import UMA
import UMAServerSim

/// When the API fails, expired data is better than nothing, and the failure leaves no trace.
@Suite("UMA stale-if-error")
struct UMAStaleIfErrorTests {
    @Test("API down with 500s, then refusing connections: the expired search is served stale; nothing is cached from the failure")
    func servesStaleWhileDown() async throws {
        let env = try await StoreTestEnvironment()
        let repository = env.client.cache.repository
        defer { Task { await env.tearDown() } }

        let first = try await env.client.search("Oguri Cap")
        let rowBefore = try #require(try await repository.entry(for: "search:oguri cap"))
        env.clock.advance(by: .seconds(25 * 3600))

        env.server.setFault(.internalError)
        let during500 = try await env.client.search("oguri cap")
        #expect(during500.freshness == .stale)
        #expect(during500.value == first.value)
        #expect(env.server.count("/character/list") == 2, "the refresh was tried")
        // The failure wrote nothing: the row is the one from before, expired.
        #expect(try await repository.entry(for: "search:oguri cap") == rowBefore)
        #expect(try await repository.entry(for: "list")?.status == .ok)

        // A name never fetched before cannot be served: the error surfaces, and is not cached.
        await #expect(throws: UMAError.self) { try await env.client.search("tokai teio") }
        #expect(try await repository.entry(for: "detail:4550") == nil)
        #expect(try await repository.entry(for: "search:tokai teio") == nil)

        // The API comes back: the very next search goes upstream (no cached failure in the way).
        env.server.setFault(nil)
        let recovered = try await env.client.search("oguri cap")
        #expect(recovered.freshness == .fetched)
        #expect(try await env.client.search("tokai teio").freshness == .fetched)

        env.clock.advance(by: .seconds(25 * 3600))
        await env.server.shutdown()
        let refused = try await env.client.search("OGURI CAP")
        #expect(refused.freshness == .stale)
        #expect(refused.value.character?.nameEn == "Oguri Cap")
    }

    @Test("a dropped connection also falls back to the expired detail")
    func droppedConnection() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let fresh = try await env.client.character(id: 4536)
        env.clock.advance(by: .seconds(25 * 3600))
        env.server.setFault(.dropConnection)
        let stale = try await env.client.character(id: 4536)
        #expect(stale.freshness == .stale)
        #expect(stale.value == fresh.value)
    }

    @Test("beyond the stale window the error surfaces")
    func staleWindowLimit() async throws {
        let env = try await StoreTestEnvironment(policy: CachePolicy(staleWindow: 3600))
        defer { Task { await env.tearDown() } }
        _ = try await env.client.character(id: 4536)
        env.clock.advance(by: .seconds(24 * 3600 + 2 * 3600))
        env.server.setFault(.internalError)
        await #expect(throws: UMAError.http(path: "/character/4536", status: 500)) {
            try await env.client.character(id: 4536)
        }
    }
}
