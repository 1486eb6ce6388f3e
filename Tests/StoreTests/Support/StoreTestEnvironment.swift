import CadenceTestSupport
import Foundation
import Store
import UMA
import UMAServerSim

/// A fresh database file, a fake umapyoi server and a client wired to both, with a manual
/// clock the test moves (the client's calendar date moves with it). Call `tearDown()` at the end.
struct StoreTestEnvironment {
    let directory: URL
    let database: AppDatabase
    let server: UMAServerSim
    let clock = ManualClock()
    let wallTime: WallTime
    let client: UMAClient

    /// Pacing is lifted by default so tests about caching don't wait on the limiter.
    init(policy: CachePolicy = .standard, limiter: UMARequestSpacer = UMARequestSpacer(requestsPerSecond: 1000, requestsPerMinute: 60_000))
        async throws
    {
        directory = try Tools.temporaryDirectory("store")
        database = try AppDatabase(path: directory.appendingPathComponent("cadence.sqlite").path)
        server = try await UMAServerSim.start()
        wallTime = WallTime(clock, origin: Date(timeIntervalSince1970: 1_750_000_000))
        client = UMAClient(baseURL: server.baseURL, database: database, policy: policy, limiter: limiter, wallTime: wallTime)
    }

    /// Another client on the same database, server and clock, e.g. with other limits.
    func makeClient(limiter: UMARequestSpacer) -> UMAClient {
        UMAClient(baseURL: server.baseURL, database: database, limiter: limiter, wallTime: wallTime)
    }

    /// The calendar date the client sees now.
    var now: Date { wallTime.now }

    func tearDown() async {
        await server.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }
}
