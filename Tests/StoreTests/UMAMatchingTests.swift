import Foundation
import Store
import Testing
import UMA

/// The search set of the API notes, through the real client against the fake API.
@Suite("UMA name matching")
struct UMAMatchingTests {
    @Test(
        "each query finds the expected character with the expected kind of match",
        arguments: [
            ("Oguri Cap", "Oguri Cap", CharacterLookup.MatchKind.exact),
            ("oguri", "Oguri Cap", .prefix),
            ("OGURI  cap", "Oguri Cap", .exact),
            ("スズカ", "Silence Suzuka", .substring),
            ("teio", "Tokai Teio", .substring),
            ("Yayoi", "Yayoi Akikawa", .prefix),
            ("ｏｇｕｒｉ　ｃａｐ", "Oguri Cap", .exact),
            ("special-week", "Special Week", .exact),
            ("Ogury Cap", "Oguri Cap", .fuzzy),
            ("silense suzuka", "Silence Suzuka", .fuzzy)
        ])
    func searchSet(query: String, expected: String, kind: CharacterLookup.MatchKind) async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let result = try await env.client.search(query)
        #expect(result.value.character?.nameEn == expected)
        #expect(result.value.matchKind == kind)
    }

    @Test("'zzz' matches nothing")
    func noMatch() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let result = try await env.client.search("zzz")
        #expect(result.value.character == nil)
        #expect(env.server.count("/character/list") == 1)
        #expect(env.server.totalRequests == 1)
    }

    @Test("a related party with no game id and no images falls back to its thumbnail")
    func relatedPartyWithoutImages() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let result = try await env.client.search("Yayoi")
        let character = try #require(result.value.character)
        #expect(character.gameId == nil)
        #expect(character.categoryLabelEn == "Related parties")
        #expect(result.value.imageURL?.hasSuffix("/img/yayoiakikawa_thumb.png") == true)
    }

    @Test("a character with images shows the newest image of the first category")
    func newestImage() async throws {
        let env = try await StoreTestEnvironment()
        defer { Task { await env.tearDown() } }
        let result = try await env.client.search("special week")
        #expect(result.value.imageURL?.hasSuffix("/img/specialweek_01.png") == true)
    }

    @Test("normalisation: NFKC, case-fold, trim, collapsed spaces")
    func normalisation() {
        #expect(NameMatcher.normalize("  OGURI \t  Cap ") == "oguri cap")
        #expect(NameMatcher.normalize("ｏｇｕｒｉ　ＣＡＰ") == "oguri cap")
        #expect(NameMatcher.normalize("ｽｽﾞｶ") == "スズカ")
        #expect(NameMatcher.normalize(" \n ").isEmpty)
    }

    @Test("an ambiguous query picks one and lists the others as near matches")
    func nearMatches() {
        let matcher = NameMatcher(characters: [
            UMACharacterSummary(id: 1, nameEn: "Special Week"),
            UMACharacterSummary(id: 2, nameEn: "Silence Suzuka"),
            UMACharacterSummary(id: 3, nameEn: "Tokai Teio")
        ])
        let match = matcher.match("s")
        #expect(match?.kind == .prefix)
        #expect(Set([match?.best.nameEn] + (match?.near.map(\.nameEn) ?? [])) == ["Special Week", "Silence Suzuka"])
        #expect(matcher.match("zzz") == nil)
    }
}
