import Foundation
import Logging

/// A read-through cache of API answers in SQLite.
///
/// Guarantees: a fresh row is served without calling the loader; concurrent misses on one key
/// make one loader call; a stored validator is sent back and a 304 renews the row; when the
/// loader throws, an expired row within the stale window is served marked `.stale`, else the
/// error propagates; only successes and "not found" (for `negativeTTL`) are written, never
/// failures; every write keeps the table within the row cap.
public final class APICache: Sendable {
    package typealias Loader = @Sendable (_ validators: Validators?) async throws -> UpstreamAnswer

    package let repository: CharacterSearchCacheRepository
    package let policy: CachePolicy
    /// The calendar date for expiry decisions; tests pass one on their manual clock.
    package let wallTime: WallTime
    private let coalescer = RequestCoalescer<CacheResult>()
    private let logger: Logger

    /// A cache whose expiry follows the system's calendar clock.
    public convenience init(
        database: AppDatabase, policy: CachePolicy = .standard, logger: Logger = Logger(label: "cadence.store.cache")
    ) {
        self.init(database: database, policy: policy, wallTime: .system, logger: logger)
    }

    package init(database: AppDatabase, policy: CachePolicy, wallTime: WallTime, logger: Logger) {
        repository = CharacterSearchCacheRepository(database: database)
        self.policy = policy
        self.wallTime = wallTime
        self.logger = logger
    }

    /// The fresh row for `key`, if any, without calling upstream. This is the hot path.
    ///
    /// It reads inline instead of hopping to a GRDB thread: the read is one indexed SELECT on
    /// a WAL reader, which never waits for the writer, and takes microseconds, less than the
    /// thread hop and continuation it would otherwise pay.
    public func cached(_ key: String) throws -> CacheResult? {
        try repository.freshEntry(for: key, at: wallTime.now)
    }

    /// Returns the answer for `key`: from a fresh row, else from `loader` (coalesced with any
    /// identical request in flight), else from an expired row marked stale.
    package func fetch(key: String, kind: CacheKind, loader: @escaping Loader) async throws -> CacheResult {
        if let hit = try cached(key) { return hit }
        return try await coalescer.run(key) { [self] in
            try await self.refresh(key: key, kind: kind, loader: loader)
        }
    }

    private func refresh(key: String, kind: CacheKind, loader: Loader) async throws -> CacheResult {
        // Re-read inside the single flight: a caller that missed just before the previous
        // flight stored its row must not call upstream again.
        let row = try await repository.entry(for: key)
        if let row, row.isFresh(at: wallTime.now) {
            return CacheResult(status: row.status, body: row.data, freshness: .cached, fetchedAt: row.fetchedAt)
        }
        let validators = row.flatMap { $0.status == .ok ? Validators(etag: $0.etag, lastModified: $0.lastModified) : nil }
        let answer: UpstreamAnswer
        do {
            answer = try await loader(validators.flatMap { $0.isEmpty ? nil : $0 })
        } catch {
            if let row, wallTime.now.timeIntervalSince(row.expiresAt) <= policy.staleWindow {
                logger.notice("serving stale \(key): \(error)")
                return CacheResult(status: row.status, body: row.data, freshness: .stale, fetchedAt: row.fetchedAt)
            }
            throw error
        }
        return try await store(answer, key: key, kind: kind, previous: row)
    }

    private func store(_ answer: UpstreamAnswer, key: String, kind: CacheKind, previous: CharacterSearchCacheRecord?)
        async throws -> CacheResult
    {
        let now = wallTime.now
        switch answer {
        case let .fresh(body, validators):
            let row = CharacterSearchCacheRecord(
                query: key, kind: kind, status: .ok, data: body, etag: validators.etag,
                lastModified: validators.lastModified, expiresAt: now.addingTimeInterval(policy.ttl(for: kind)),
                fetchedAt: now, createdAt: now)
            await save(row)
            return CacheResult(status: .ok, body: body, freshness: .fetched, fetchedAt: now)
        case let .notModified(validators):
            guard let previous else {
                throw CacheError.notModifiedWithoutCopy(key: key)
            }
            do {
                try await repository.renew(
                    key: key, expiresAt: now.addingTimeInterval(policy.ttl(for: kind)), fetchedAt: now,
                    etag: validators.etag, lastModified: validators.lastModified)
            } catch {
                logger.warning("cannot renew \(key): \(error)")
            }
            return CacheResult(status: previous.status, body: previous.data, freshness: .revalidated, fetchedAt: now)
        case let .notFound(body):
            let row = CharacterSearchCacheRecord(
                query: key, kind: kind, status: .notFound, data: body,
                expiresAt: now.addingTimeInterval(policy.negativeTTL), fetchedAt: now, createdAt: now)
            await save(row)
            return CacheResult(status: .notFound, body: body, freshness: .fetched, fetchedAt: now)
        case let .degraded(status, body):
            return CacheResult(status: status, body: body, freshness: .stale, fetchedAt: previous?.fetchedAt ?? now)
        }
    }

    /// A failed cache write costs a later upstream call, not this answer: log it and go on.
    private func save(_ row: CharacterSearchCacheRecord) async {
        do {
            try await repository.save(row, cappingAt: policy.maxRows, now: row.fetchedAt)
        } catch {
            logger.warning("cannot cache \(row.query): \(error)")
        }
    }
}

/// Cache-level failures that are not upstream's or SQLite's.
package enum CacheError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Upstream answered 304 but there is no cached body to confirm.
    case notModifiedWithoutCopy(key: String)

    package var description: String {
        switch self {
        case let .notModifiedWithoutCopy(key): "upstream answered 304 for \(key) but nothing is cached"
        }
    }
}
