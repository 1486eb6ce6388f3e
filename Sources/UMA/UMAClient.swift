import AsyncHTTPClient
import Foundation
import Logging
import Store

/// A value with where it came from (fetched, revalidated, cached, stale).
package struct Cached<Value: Sendable>: Sendable {
    package var value: Value
    package var freshness: Freshness
}

extension Cached: Equatable where Value: Equatable {}

/// Looks up Uma Musume characters on umapyoi.net through the SQLite cache.
///
/// The character list is fetched once per 24 h and names are matched locally; a search's
/// result (match, profile, first image) is cached under its normalised query, details for
/// 24 h, images for 7 days, "not found" for 10 minutes. Requests are paced to the API's
/// published limits and every failure path is covered by `APICache`'s guarantees.
package final class UMAClient: Sendable {
    package static let defaultBaseURL = "https://umapyoi.net/api/v1"

    package let cache: APICache
    private let transport: UMAHTTPTransport

    package init(
        baseURL: String = UMAClient.defaultBaseURL, database: AppDatabase, policy: CachePolicy = .standard,
        httpClient: HTTPClient = .shared, limiter: UMARequestSpacer = UMARequestSpacer(),
        wallTime: WallTime = .system, logger: Logger = Logger(label: "cadence.uma")
    ) {
        cache = APICache(database: database, policy: policy, wallTime: wallTime, logger: logger)
        transport = UMAHTTPTransport(baseURL: baseURL, client: httpClient, limiter: limiter)
    }

    /// Every character (and related party) umapyoi lists.
    package func characterList() async throws -> Cached<[UMACharacterSummary]> {
        let path = "/character/list"
        let result = try await cache.fetch(key: "list", kind: .characterList) { [transport] validators in
            try await Self.load(path, as: [UMACharacterSummary].self, transport: transport, validators: validators)
        }
        guard result.status == .ok else { throw UMAError.http(path: path, status: 404) }
        return Cached(
            value: try Self.decodeUpstream([UMACharacterSummary].self, result.body, path: path),
            freshness: result.freshness)
    }

    /// The profile for a site id or game id; nil when umapyoi has none.
    package func character(id: Int) async throws -> Cached<UMACharacter?> {
        let path = "/character/\(id)"
        let result = try await cache.fetch(key: "detail:\(id)", kind: .characterDetail) { [transport] validators in
            try await Self.load(path, as: UMACharacter.self, transport: transport, validators: validators)
        }
        guard result.status == .ok else { return Cached(value: nil, freshness: result.freshness) }
        return Cached(value: try Self.decodeUpstream(UMACharacter.self, result.body, path: path), freshness: result.freshness)
    }

    /// Image categories for a character, newest image first in each; empty when there are none.
    package func images(id: Int) async throws -> Cached<[UMAImageCategory]> {
        let path = "/character/images/\(id)"
        let result = try await cache.fetch(key: "images:\(id)", kind: .characterImages) { [transport] validators in
            try await Self.load(path, as: [UMAImageCategory].self, transport: transport, validators: validators)
        }
        guard result.status == .ok else { return Cached(value: [], freshness: result.freshness) }
        return Cached(
            value: try Self.decodeUpstream([UMAImageCategory].self, result.body, path: path),
            freshness: result.freshness)
    }

    /// Finds a character by name. `lookup.character` is nil when nothing matched; then
    /// `nearMatches` has suggestions. Queries that normalise alike share one cache row.
    package func search(_ query: String) async throws -> Cached<CharacterLookup> {
        let key = NameMatcher.normalize(query)
        guard !key.isEmpty else { throw UMAError.emptyQuery }
        let result = try await cache.fetch(key: "search:" + key, kind: .characterSearch) { [self] _ in
            try await compose(key)
        }
        do {
            let lookup = try JSONDecoder().decode(CharacterLookup.self, from: Data(result.body.utf8))
            return Cached(value: lookup, freshness: result.freshness)
        } catch {
            throw StoreError.corruptRow(key: "search:" + key, reason: "\(error)")
        }
    }

    /// Builds a search answer from the list, the detail and the images. When any part was
    /// stale or missing, the answer is `.degraded`: served, marked stale, never stored.
    private func compose(_ key: String) async throws -> UpstreamAnswer {
        let list = try await characterList()
        var degraded = list.freshness == .stale
        let matcher = NameMatcher(characters: list.value)
        guard let match = matcher.match(key) else {
            let lookup = CharacterLookup(query: key, nearMatches: matcher.suggestions(key).map(\.nameEn))
            let body = try Self.encode(lookup)
            return degraded ? .degraded(status: .notFound, body: body) : .notFound(body: body)
        }
        let detail = try await character(id: match.best.id)
        degraded = degraded || detail.freshness == .stale
        let near = match.near.map(\.nameEn)
        guard let character = detail.value else {
            let body = try Self.encode(CharacterLookup(query: key, nearMatches: [match.best.nameEn] + near))
            return degraded ? .degraded(status: .notFound, body: body) : .notFound(body: body)
        }
        var imageURL: String?
        do {
            let images = try await images(id: match.best.id)
            degraded = degraded || images.freshness == .stale
            imageURL = images.value.lazy.compactMap(\.images.first?.image).first
        } catch {
            // The profile alone is still worth showing, but not worth caching for a day.
            degraded = true
        }
        let lookup = CharacterLookup(
            query: key, character: character, matchKind: match.kind,
            imageURL: imageURL ?? character.thumbImg ?? match.best.thumbImg, nearMatches: near)
        let body = try Self.encode(lookup)
        return degraded ? .degraded(status: .ok, body: body) : .fresh(body: body, validators: Validators())
    }

    /// Fetches a path and checks that a new body decodes before it can be cached.
    private static func load<T: Decodable>(
        _ path: String, as type: T.Type, transport: UMAHTTPTransport, validators: Validators?
    ) async throws -> UpstreamAnswer {
        let answer = try await transport.get(path, validators: validators)
        if case let .fresh(body, _) = answer {
            _ = try decodeUpstream(type, body, path: path)
        }
        return answer
    }

    static func decodeUpstream<T: Decodable>(_ type: T.Type, _ body: String, path: String) throws(UMAError) -> T {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        do {
            return try decoder.decode(type, from: Data(body.utf8))
        } catch {
            throw .decoding(path: path, reason: "\(error)")
        }
    }

    private static func encode(_ lookup: CharacterLookup) throws -> String {
        String(decoding: try JSONEncoder().encode(lookup), as: UTF8.self)
    }
}

extension CharacterLookup {
    init(query: String, nearMatches: [String]) {
        self.init(query: query, character: nil, matchKind: nil, imageURL: nil, nearMatches: nearMatches)
    }
}
