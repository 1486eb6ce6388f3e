import CadenceBot
import CadenceTestSupport
import DiscordSim
import Foundation
import Testing

/// The bot opens as many shards as `/gateway/bot` recommends, each with the right shard id,
/// compressed when configured, and still answers commands.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotShardingTimingTests {
    @Test func twoRecommendedShardsAreBothIdentifiedOverZlibStream() async throws {
        let harness = try await BotHarness.start(toneSeconds: 1, simShards: 2, compress: true)
        defer { Task { await harness.shutdown() } }
        let report = harness.discord.report
        #expect(report.identifyShards.sorted { $0[0] < $1[0] } == [[0, 2], [1, 2]], "identified: \(report.identifyShards)")
        #expect(report.compressedConnections >= 2, "connections asking for zlib-stream: \(report.compressedConnections)")
        let about = await harness.command("about")
        #expect(about?.hasPrefix("Cadence ") == true, "reply: \(about ?? "none")")
    }
}
