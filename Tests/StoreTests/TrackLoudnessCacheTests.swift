import CadenceTestSupport
import Foundation
import Store
import Testing

/// The loudness cache as `cadence play --normalize` uses it: a measurement kept under the
/// track's identity is found again by it, survives reopening the file, and a new one replaces it.
@Suite("Track loudness cache")
struct TrackLoudnessCacheTests {
    @Test("a measurement is found by the track's identity after the database is reopened, and a new one replaces it")
    func keptAndReplaced() async throws {
        let directory = try Tools.temporaryDirectory("store-loudness")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("cadence.sqlite").path
        let measuredAt = Date(timeIntervalSince1970: 1_760_000_000)
        do {
            let repository = TrackLoudnessRepository(database: try AppDatabase(path: path))
            try await repository.save(
                TrackLoudnessRecord(id: "youtube:abc", integratedLUFS: -9.2, truePeakDBTP: 0.4, measuredAt: measuredAt))
            try await repository.save(
                TrackLoudnessRecord(id: "/music/a.flac", integratedLUFS: -18.5, truePeakDBTP: -3.1, measuredAt: measuredAt))
        }
        let repository = TrackLoudnessRepository(database: try AppDatabase(path: path))
        let found = try await repository.loudness(of: "youtube:abc")
        #expect(found == TrackLoudnessRecord(id: "youtube:abc", integratedLUFS: -9.2, truePeakDBTP: 0.4, measuredAt: measuredAt))
        #expect(try await repository.loudness(of: "youtube:other") == nil)
        try await repository.save(
            TrackLoudnessRecord(id: "/music/a.flac", integratedLUFS: -18.0, truePeakDBTP: -3.0, measuredAt: measuredAt))
        #expect(try await repository.loudness(of: "/music/a.flac")?.integratedLUFS == -18.0)
    }
}
