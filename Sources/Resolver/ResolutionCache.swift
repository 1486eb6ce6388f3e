import Foundation
import Synchronization

/// Where resolutions are kept until a minute before their URL expires. Two implementations:
/// `MemoryResolutionCache` here, and the SQLite store's, which survives restarts.
package protocol ResolutionCache: Sendable {
    func cached(_ input: String, now: Date) async -> ResolvedTrack?
    func store(_ track: ResolvedTrack) async
}

/// An in-process resolution cache.
package final class MemoryResolutionCache: ResolutionCache {
    private let entries = Mutex<[String: ResolvedTrack]>([:])

    package init() {}

    package func cached(_ input: String, now: Date) async -> ResolvedTrack? {
        entries.withLock { entries in
            guard let track = entries[input] else { return nil }
            guard track.isUsable(at: now) else {
                entries[input] = nil
                return nil
            }
            return track
        }
    }

    package func store(_ track: ResolvedTrack) async {
        entries.withLock { $0[track.input] = track }
    }
}
