import Foundation
import Store

/// Matches user text against character names locally (umapyoi has no search endpoint).
///
/// Keys are normalised (NFKC, case-folded, trimmed, inner spaces collapsed), so "OGURI  cap"
/// and "ｏｇｕｒｉ cap" equal "oguri cap". Order: exact name, then prefix, then substring,
/// then fuzzy (edit-distance similarity ≥ `fuzzyThreshold`); the runners-up are returned
/// as near matches.
package struct NameMatcher: Sendable {
    package static let fuzzyThreshold = 0.6
    package static let maxNearMatches = 5

    private struct Candidate {
        let summary: UMACharacterSummary
        /// Normalised names: English, Japanese, internal slug, URL slug.
        let keys: [String]
        let compactKeys: [String]
    }

    private let candidates: [Candidate]

    package init(characters: [UMACharacterSummary]) {
        candidates = characters.map { summary in
            let raw = [summary.nameEn, summary.nameJp, summary.nameEnInternal, summary.preferredUrl]
            let keys = raw.compactMap { $0 }.map(Self.normalize).filter { !$0.isEmpty }
            return Candidate(summary: summary, keys: keys, compactKeys: keys.map(Self.compact))
        }
    }

    /// The cache key form of user text: NFKC, case-folded, trimmed, runs of spaces as one.
    package static func normalize(_ text: String) -> String {
        let folded = text.precomposedStringWithCompatibilityMapping.lowercased().precomposedStringWithCompatibilityMapping
        return folded.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// The key with spaces and punctuation removed, so "special-week", "specialweek" and
    /// "special week" meet.
    static func compact(_ key: String) -> String {
        String(key.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// The best match for `query` and the near matches, best first.
    package func match(_ query: String) -> (best: UMACharacterSummary, kind: CharacterLookup.MatchKind, near: [UMACharacterSummary])? {
        let key = Self.normalize(query)
        guard !key.isEmpty else { return nil }
        let compactKey = Self.compact(key)
        // A query of punctuation only would be a prefix of everything once compacted.
        let useCompact = !compactKey.isEmpty
        for kind in [CharacterLookup.MatchKind.exact, .prefix, .substring] {
            let hits = candidates.filter { candidate in
                zip(candidate.keys, candidate.compactKeys).contains { full, compact in
                    switch kind {
                    case .exact: full == key || (useCompact && compact == compactKey)
                    case .prefix: full.hasPrefix(key) || (useCompact && compact.hasPrefix(compactKey))
                    default: full.contains(key) || (useCompact && compact.contains(compactKey))
                    }
                }
            }
            // Shorter names first: "teio" should pick "Tokai Teio" over a longer name containing it.
            let ordered = hits.sorted { ($0.summary.nameEn.count, $0.summary.id) < ($1.summary.nameEn.count, $1.summary.id) }
            if let first = ordered.first {
                let near = ordered.dropFirst().map(\.summary) + nearMatches(key, excluding: Set(ordered.map(\.summary.id)))
                return (first.summary, kind, Array(near.prefix(Self.maxNearMatches)))
            }
        }
        let scored = scores(key)
        guard let best = scored.first, best.score >= Self.fuzzyThreshold else { return nil }
        return (best.summary, .fuzzy, Array(scored.dropFirst().filter { $0.score >= 0.5 }.map(\.summary).prefix(Self.maxNearMatches)))
    }

    /// Names similar enough to suggest when nothing matched.
    package func suggestions(_ query: String) -> [UMACharacterSummary] {
        nearMatches(Self.normalize(query), excluding: [])
    }

    private func nearMatches(_ key: String, excluding: Set<Int>) -> [UMACharacterSummary] {
        scores(key).filter { $0.score >= 0.5 && !excluding.contains($0.summary.id) }.map(\.summary)
            .prefix(Self.maxNearMatches).map { $0 }
    }

    /// Similarity of the key to each candidate's best name or name word, best first.
    private func scores(_ key: String) -> [(summary: UMACharacterSummary, score: Double)] {
        candidates.map { candidate in
            let words = candidate.keys.flatMap { $0.split(separator: " ").map(String.init) }
            let score = (candidate.keys + candidate.compactKeys + words).map { Self.similarity(key, $0) }.max() ?? 0
            return (candidate.summary, score)
        }
        .sorted { $0.score > $1.score }
    }

    /// 1 − edit distance / longer length, over characters.
    static func similarity(_ a: String, _ b: String) -> Double {
        let x = Array(a), y = Array(b)
        let longest = max(x.count, y.count)
        guard longest > 0 else { return 1 }
        var previous = Array(0...y.count)
        var current = previous
        for i in 1...max(x.count, 1) where !x.isEmpty {
            current[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                let cost = x[i - 1] == y[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        let distance = x.isEmpty ? y.count : previous[y.count]
        return 1 - Double(distance) / Double(longest)
    }
}
