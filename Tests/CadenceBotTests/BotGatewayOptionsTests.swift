import DiscordGateway
import Foundation
import Testing

@testable import CadenceBot

/// What the settings turn into when the bot connects: shard count and transport compression.
@Suite struct BotGatewayOptionsTests {
    let token = "MTAxNjQ4.fake-token.for-tests_only"

    @Test func byDefaultDiscordChoosesTheShardCountAndNothingIsCompressed() async throws {
        let config = try await BotConfiguration.load(environment: ["DISCORD_TOKEN": token])
        let options = config.shardClusterConfiguration
        #expect(options.shardCount == nil, "nil asks /gateway/bot for the recommended count")
        #expect(!options.client.zlibStream)
        #expect(options.client.endpoints.gatewayURL == nil)
    }

    @Test func shardsAndCompressionComeFromTheEnvironment() async throws {
        let config = try await BotConfiguration.load(environment: [
            "DISCORD_TOKEN": token, "CADENCE_SHARDS": "4", "CADENCE_GATEWAY_COMPRESS": "1",
            "CADENCE_DISCORD_GATEWAY": "wss://gateway.example.test", "CADENCE_DISCORD_API": "https://api.example.test/v10"
        ])
        let options = config.shardClusterConfiguration
        #expect(options.shardCount == 4)
        #expect(options.client.zlibStream)
        #expect(options.client.endpoints.gatewayURL == "wss://gateway.example.test")
        #expect(options.client.endpoints.apiBaseURL == "https://api.example.test/v10")
    }

    @Test func autoLeavesTheCountToDiscord() async throws {
        let config = try await BotConfiguration.load(environment: ["DISCORD_TOKEN": token, "CADENCE_SHARDS": "auto"])
        #expect(config.shardClusterConfiguration.shardCount == nil)
    }

    @Test func aBadShardCountIsReportedWithItsVariable() async {
        do {
            _ = try await BotConfiguration.load(environment: [
                "DISCORD_TOKEN": token, "CADENCE_SHARDS": "0",
                "CADENCE_GATEWAY_COMPRESS": "sometimes"
            ])
            Issue.record("a shard count of 0 was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("CADENCE_SHARDS"))
            #expect(text.contains("CADENCE_GATEWAY_COMPRESS"))
        }
    }
}
