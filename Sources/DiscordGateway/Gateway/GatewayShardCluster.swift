import Foundation
import Logging
import Synchronization

/// All shards of one bot: one `GatewayClient` per shard, started in the order and at the pace
/// Discord allows (doc §1.10), with their events merged into one stream.
///
/// The shard count comes from the configuration or from GET /gateway/bot (`shards`). Shards
/// are identified in rounds of `max_concurrency` (shards 0..mc-1, then mc..2mc-1, …), each
/// round at least `identifyWindow` seconds after the previous one. Reconnect identifies after
/// an op 9 are not paced across shards (each shard waits its own 1–5 s).
package final class GatewayShardCluster: Sendable {
    /// Every shard's client settings, the shard count, and the identify pacing.
    package struct Configuration: Sendable {
        package var client: GatewayClient.Configuration
        /// Nil: use the count Discord recommends.
        package var shardCount: Int?
        /// Seconds per identify round (Discord: 5).
        package var identifyWindow: Double

        package init(client: GatewayClient.Configuration = .init(), shardCount: Int? = nil, identifyWindow: Double = 5) {
            self.client = client
            self.shardCount = shardCount
            self.identifyWindow = identifyWindow
        }
    }

    /// An event and the shard it came from.
    package struct ShardEvent: Sendable {
        package var shard: Int
        package var event: GatewayEvent
    }

    package let configuration: Configuration
    /// Every shard's events; ends with the first fatal shard error or after `close()`.
    package let events: AsyncThrowingStream<ShardEvent, any Error>
    let eventInput: AsyncThrowingStream<ShardEvent, any Error>.Continuation
    let clients = Mutex<[GatewayClient]>([])
    let logger: Logger

    package init(configuration: Configuration = .init(), logger: Logger = Logger(label: "cadence.discord.shards")) {
        self.configuration = configuration
        self.logger = logger
        (events, eventInput) = AsyncThrowingStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Starts every shard, paced, and returns their READYs in shard order.
    package func connect(token: String, intents: GatewayIntents = .musicBot) async throws(GatewayError) -> [Ready] {
        let endpoints = configuration.client.endpoints
        var url = endpoints.gatewayURL
        var count = configuration.shardCount
        var concurrency = 1
        do {
            let info = try await DiscordREST(configuration: .init(token: token, baseURL: endpoints.apiBaseURL)).getGatewayBot()
            if info.sessionStartLimit.remaining < (count ?? info.shards) {
                throw GatewayError.identifyBudgetExhausted(resetAfterMs: info.sessionStartLimit.resetAfter)
            }
            url = url ?? info.url
            count = count ?? info.shards
            concurrency = max(1, info.sessionStartLimit.maxConcurrency)
        } catch let error as GatewayError {
            throw error
        } catch DiscordRESTError.unauthorized {
            throw .invalidToken
        } catch {
            // Without /gateway/bot a configured URL still works: the configured count or one
            // shard, one identify per window.
            guard url != nil else { throw .connectionFailed("GET /gateway/bot: \(error)") }
            count = count ?? 1
        }
        guard let url, let count, count >= 1 else { throw .invalidShard }
        let shards = (0..<count).map { _ in GatewayClient(configuration: configuration.client, logger: logger) }
        clients.withLock { $0 = shards }
        for (index, client) in shards.enumerated() { forward(client, shard: index) }

        var readies: [Ready] = []
        for roundStart in stride(from: 0, to: count, by: concurrency) {
            let round = Array(roundStart..<min(count, roundStart + concurrency))
            let results = await withTaskGroup(of: (Int, Result<Ready, GatewayError>).self) { group in
                for id in round {
                    group.addTask {
                        do throws(GatewayError) {
                            return (
                                id,
                                .success(
                                    try await shards[id].connect(
                                        token: token, intents: intents,
                                        shard: ShardID(id: id, count: count),
                                        gatewayURL: url))
                            )
                        } catch {
                            return (id, .failure(error))
                        }
                    }
                }
                var results: [(Int, Result<Ready, GatewayError>)] = []
                for await result in group { results.append(result) }
                return results.sorted { $0.0 < $1.0 }
            }
            for (_, result) in results {
                switch result {
                case let .success(ready): readies.append(ready)
                case let .failure(error): throw error
                }
            }
            if roundStart + concurrency < count {
                // Counted from the round's last READY, which comes after its last Identify, so two
                // rounds' identifies are always a full window apart.
                try? await Task.sleep(for: .seconds(configuration.identifyWindow))
            }
        }
        return readies
    }

    /// The client whose shard receives `guild`'s events, i.e. the one to send its op 4 on.
    package func client(for guild: Snowflake) -> GatewayClient? {
        clients.withLock { clients in
            clients.isEmpty ? nil : clients[ShardID.shard(for: guild, count: clients.count)]
        }
    }

    /// Every shard's client in shard order (empty before `connect`), for health figures.
    package var shards: [GatewayClient] { clients.withLock { $0 } }

    /// Closes every shard and ends `events`.
    package func close() async {
        for client in clients.withLock({ $0 }) { await client.close() }
        eventInput.finish()
    }

    private func forward(_ client: GatewayClient, shard: Int) {
        let input = eventInput
        Task {
            do {
                for try await event in client.events { input.yield(ShardEvent(shard: shard, event: event)) }
            } catch {
                input.finish(throwing: error)
            }
        }
    }
}
