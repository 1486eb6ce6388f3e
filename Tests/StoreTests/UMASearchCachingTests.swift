import Foundation
import Store
import Testing
import UMAServerSim

/// A search goes to the API once; repeats, however they are cased or spaced, come from SQLite.
@Suite("UMA search caching")
struct UMASearchCachingTests {
    @Test("a second identical search makes no upstream call, nor does a differently cased or spaced one")
    func repeatSearchesHitTheCache() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }

        let first = try await env.client.search("Oguri Cap")
        #expect(first.freshness == .fetched)
        #expect(first.value.character?.nameEn == "Oguri Cap")
        let afterFirst = env.server.totalRequests
        #expect(env.server.count("/character/list") == 1)
        #expect(env.server.count("/character/4879") == 1)
        #expect(env.server.count("/character/images/4879") == 1)

        for query in ["Oguri Cap", "oguri cap", "OGURI  cap", "  Oguri\tCap "] {
            let again = try await env.client.search(query)
            #expect(again.freshness == .cached, "\(query)")
            #expect(again.value == first.value, "\(query)")
        }
        #expect(env.server.totalRequests == afterFirst)
    }

    @Test("100 concurrent identical searches make one upstream call per endpoint")
    func concurrentSearchesCoalesce() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        // The delay keeps the first request in flight while the other 99 arrive.
        env.server.setDelay(.milliseconds(200))

        let names = try await withThrowingTaskGroup(of: String?.self) { group in
            for _ in 0..<100 {
                group.addTask { try await env.client.search("tokai teio").value.character?.nameEn }
            }
            return try await group.reduce(into: [String?]()) { $0.append($1) }
        }
        #expect(names.count == 100)
        #expect(names.allSatisfy { $0 == "Tokai Teio" })
        #expect(env.server.count("/character/list") == 1)
        #expect(env.server.count("/character/4550") == 1)
        #expect(env.server.count("/character/images/4550") == 1)
        #expect(env.server.totalRequests == 3)
    }

    @Test("a search for another name reuses the cached character list")
    func listIsFetchedOnce() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        _ = try await env.client.search("special week")
        _ = try await env.client.search("silence suzuka")
        _ = try await env.client.search("tokai teio")
        #expect(env.server.count("/character/list") == 1)
    }

    @Test("after the 24 h TTL the search goes upstream again")
    func expiredSearchRefetches() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        _ = try await env.client.search("teio")
        env.clock.advance(by: .seconds(23 * 3600))
        #expect(try await env.client.search("teio").freshness == .cached)
        env.clock.advance(by: .seconds(2 * 3600))
        let refreshed = try await env.client.search("teio")
        #expect(refreshed.freshness == .fetched)
        #expect(env.server.count("/character/list") == 2)
        #expect(env.server.count("/character/4550") == 2)
    }

    @Test("'not found' is cached for 10 minutes, then asked again")
    func notFoundIsCachedBriefly() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }

        #expect(try await env.client.character(id: 99_999).value == nil)
        #expect(env.server.count("/character/99999") == 1)
        let again = try await env.client.character(id: 99_999)
        #expect(again.value == nil)
        #expect(again.freshness == .cached)
        #expect(env.server.count("/character/99999") == 1)

        env.clock.advance(by: .seconds(9 * 60))
        _ = try await env.client.character(id: 99_999)
        #expect(env.server.count("/character/99999") == 1)
        env.clock.advance(by: .seconds(2 * 60))
        _ = try await env.client.character(id: 99_999)
        #expect(env.server.count("/character/99999") == 2)
    }

    @Test("a search that matches nothing is cached as 'not found' with suggestions")
    func unmatchedSearchIsNegativelyCached() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let miss = try await env.client.search("zzz")
        #expect(miss.value.character == nil)
        let row = try await env.client.cache.repository.entry(for: "search:zzz")
        #expect(row?.status == .notFound)
        #expect(row.map { $0.expiresAt.timeIntervalSince($0.fetchedAt) } == 600)
        #expect(try await env.client.search("ZZZ").freshness == .cached)
    }

    @Test("a character found by site id and by game id is the same profile")
    func detailBySiteOrGameID() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let bySite = try #require(try await env.client.character(id: 4737).value)
        let byGame = try #require(try await env.client.character(id: 1001).value)
        #expect(bySite == byGame)
        #expect(bySite.gameId == 1001)
        #expect(bySite.birthday == "May 2")
        // Separate keys in decimal text (HKTM turned the id into one Unicode character).
        #expect(try await env.client.cache.repository.entry(for: "detail:4737") != nil)
        #expect(try await env.client.cache.repository.entry(for: "detail:1001") != nil)
    }
}
