import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("Gateway sharding: count and identify pacing")
struct GatewayShardingTests {
    @Test func shardsIdentifyInRoundsOfMaxConcurrency() async throws {
        let sim = DiscordSim(
            configuration: {
                var configuration = DiscordSim.Configuration()
                configuration.shards = 3
                configuration.maxConcurrency = 2
                configuration.identifyWindow = 0.4
                return configuration
            }())
        try await sim.start()
        var client = GatewayClient.Configuration(endpoints: DiscordEndpoints(apiBaseURL: sim.apiBaseURL))
        client.reconnectDelay = 0.05
        let cluster = GatewayShardCluster(configuration: .init(client: client, identifyWindow: 0.4))
        let readies = try await cluster.connect(token: sim.configuration.token)
        #expect(readies.map(\.shard) == [[0, 3], [1, 3], [2, 3]])
        let report = sim.report
        #expect(Set(report.identifyShards.prefix(2)) == [[0, 3], [1, 3]])
        #expect(report.identifyShards.last == [2, 3])
        let times = report.identifyTimes
        #expect(times.count == 3)
        #expect(times[2] - times[0] >= .seconds(0.4), "the second round waits for the identify window")
        #expect(report.identifyRejections == 0, "the simulator never saw more than max_concurrency identifies in a window")
        let guild = Snowflake(sim.configuration.guilds[0].id)
        let owner = ShardID.shard(for: guild, count: 3)
        #expect(cluster.client(for: guild) != nil)
        var guildShard: Int?
        for try await shardEvent in cluster.events {
            if case .guildCreate = shardEvent.event {
                guildShard = shardEvent.shard
                break
            }
        }
        #expect(guildShard == owner)
        await cluster.close()
        await sim.shutdown()
    }

    @Test func identifyOverTheConcurrencyLimitIsRejectedAndRetriedAfterTheDelay() async throws {
        let sim = DiscordSim(
            configuration: {
                var configuration = DiscordSim.Configuration()
                configuration.identifyWindow = 3
                return configuration
            }())
        try await sim.start()
        var configuration = GatewayClient.Configuration(endpoints: DiscordEndpoints(apiBaseURL: sim.apiBaseURL))
        // Past the simulator's 3 s window, so the retry is accepted the first time.
        configuration.reidentifyDelay = 3.1...3.3
        let first = GatewayClient(configuration: configuration)
        let second = GatewayClient(configuration: configuration)
        async let a = first.connect(token: sim.configuration.token)
        async let b = second.connect(token: sim.configuration.token)
        let readies = try await [a, b]
        #expect(Set(readies.map(\.sessionID)).count == 2)
        let report = sim.report
        #expect(report.identifyRejections == 1)
        #expect(report.identifies == 3)
        #expect(first.statistics.invalidSessions + second.statistics.invalidSessions == 1)
        await first.close()
        await second.close()
        await sim.shutdown()
    }
}
