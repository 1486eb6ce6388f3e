import AudioEngine
import DiscordGateway
import Foundation
import Logging
import Resolver
import ServiceLifecycle
import Store
import Synchronization
import UMA

/// The headless bot: connects the gateway, registers the commands, answers interactions and
/// plays music, until a graceful shutdown (SIGTERM/SIGINT through swift-service-lifecycle).
///
/// Shutdown guarantees, in order: new commands are refused; every player ends its track with
/// silence and speaking 0; voice connections and then the gateway close; the metrics store is
/// flushed. A fatal gateway close (invalid token, missing intent) ends `run` with a
/// `BotServiceError` whose message is one line an operator can act on.
package final class BotService: Service {
    package let configuration: BotConfiguration
    package let logger: Logger
    let clock: any Clock<Duration>
    let version: String
    let maintenance: MaintenanceSchedule
    /// What /healthz and /metrics serve (also readable in-process).
    package let health: HealthState
    private let boundHealthPort = Mutex<Int?>(nil)

    package init(
        configuration: BotConfiguration, logger: Logger = Logger(label: "cadence.bot"),
        clock: any Clock<Duration> = ContinuousClock(), version: String = "dev", maintenance: MaintenanceSchedule = .hourly
    ) {
        self.maintenance = maintenance
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
        self.version = version
        self.health = HealthState()
    }

    package func run() async throws {
        let store = try openStore()
        let server: HealthServer?
        do {
            server = try configuration.healthPort.map { try HealthServer(port: $0, state: health) }
        } catch {
            await store.metrics.close()
            throw BotServiceError(
                "cannot serve the health endpoint on 127.0.0.1:\(configuration.healthPort ?? 0): \(error)",
                isConfigurationProblem: true)
        }
        boundHealthPort.withLock { $0 = server?.port }
        health.update { $0.storeOK = true }
        do {
            try await serve(store: store)
        } catch {
            try? await server?.close()
            await store.metrics.close()
            throw error
        }
        try? await server?.close()
        await store.metrics.close()
        logger.info("stopped")
    }

    /// Connects, registers, and handles events until shutdown; the caller owns store and server.
    private func serve(store: Store) async throws {
        let gateway = GatewayShardCluster(configuration: configuration.shardClusterConfiguration, logger: logger)
        let ready: Ready
        do {
            // Detached so the gateway's socket tasks do not inherit the graceful-shutdown signal:
            // the WebSocket library would close them on SIGTERM before the players went quiet.
            let token = configuration.token.revealed
            let readies = try await Task.detached { () async throws -> [Ready] in
                try await gateway.connect(token: token)
            }.value
            guard let first = readies.first else { throw GatewayError.invalidShard }
            ready = first
        } catch {
            throw BotServiceError("\(error)", isConfigurationProblem: Self.isConfigurationProblem(error))
        }
        logger.info(
            "gateway ready",
            metadata: [
                "user": "\(ready.user.username)", "session": "\(ready.sessionID)",
                "shards": "\(gateway.shards.count)"
            ])
        let rest = DiscordREST(
            configuration: .init(
                token: configuration.token.revealed,
                baseURL: configuration.discordAPI.absoluteString))
        let pacer = Pacer(clock: MonotonicClock())
        let roster = VoiceRoster()
        let routerBox = RouterBox()
        let joiner = GatewayVoiceJoiner(gateway: gateway, pacer: pacer, botUserID: ready.user.id, logger: logger) {
            guildID in await routerBox.router?.leave(guildID: guildID)
        }
        let resolver = TrackResolver(policy: SourcePolicy(allowPrivateNetwork: configuration.allowPrivateNetwork))
        let metrics = store.metrics
        let settings = GuildSettingsRepository(database: store.database)
        let loudness = TrackLoudnessRepository(database: store.database)
        let router = CommandRouter(
            .init(
                resolver: resolver, voice: joiner, uma: store.uma, settings: settings, loudness: loudness, clock: clock,
                version: version
            ) { report in
                metrics.record(
                    PipelineMetricRecord(
                        trackTitle: report.entry.title, framesSent: report.stats.sent, framesNulled: report.stats.nulled,
                        framesDeficit: report.stats.deficit, recoveries: report.recoveries,
                        pacingP99Ms: report.stats.deviationMilliseconds(atPercentile: 99), durationMs: Int(report.playedMs)))
            })
        routerBox.router = router
        let context = Context(
            gateway: gateway, rest: rest, applicationID: ready.applicationID, router: router,
            roster: roster, joiner: joiner, health: health, logger: logger)
        try await registerCommands(context)
        health.update { $0.gatewayConnected = true }

        await withDiscardingTaskGroup { group in
            group.addTask { await Self.housekeeping(context) }
            let schedule = maintenance
            group.addTask {
                await store.maintenance.runSchedule(
                    clock: schedule.clock, interval: schedule.interval, wallTime: schedule.wallTime,
                    logger: self.logger, onPurge: schedule.onPurge)
            }
            do {
                for try await shardEvent in gateway.events.cancelOnGracefulShutdown() {
                    await Self.dispatch(shardEvent.event, context: context, group: &group)
                }
            } catch {
                logger.error("gateway stopped: \(error)")
                context.fatal.withLock { $0 = error }
            }
            // Graceful shutdown (or the gateway ended): stop taking commands, then go quiet.
            logger.info("shutting down")
            router.stopTakingCommands()
            await joiner.shutdown()
            await gateway.close()
            group.cancelAll()
        }
        pacer.shutdown()
        if let error = context.fatal.withLock({ $0 }) {
            throw BotServiceError("\(error)", isConfigurationProblem: Self.isConfigurationProblem(error))
        }
    }

    /// The port the health endpoint listens on once started (port 0 in the configuration
    /// picks a free one), or nil when it is off.
    package var healthEndpointPort: Int? { boundHealthPort.withLock { $0 } }

    static func isConfigurationProblem(_ error: any Error) -> Bool {
        guard let error = error as? GatewayError else { return false }
        return [.invalidToken, .disallowedIntents, .invalidIntents].contains(error)
    }

    private func registerCommands(_ context: Context) async throws {
        let guild = configuration.guildID.map { Snowflake($0) }
        do {
            try await context.rest.bulkOverwriteCommands(
                applicationID: context.applicationID, guildID: guild,
                CommandCatalog.all)
            logger.info("commands registered", metadata: ["scope": "\(guild.map { "guild \($0)" } ?? "global")"])
        } catch {
            await context.gateway.close()
            throw BotServiceError(
                "registering commands failed: \(error)",
                isConfigurationProblem: {
                    if case .unauthorized = error { return true }
                    return false
                }())
        }
    }

    struct Store {
        var database: AppDatabase
        var uma: UMAClient
        var metrics: MetricsWriter
        var maintenance: StoreMaintenance
    }

    private func openStore() throws -> Store {
        do {
            let database = try AppDatabase(path: configuration.databasePath)
            return Store(
                database: database, uma: UMAClient(baseURL: configuration.umaAPI, database: database),
                metrics: MetricsWriter(database: database), maintenance: StoreMaintenance(database: database))
        } catch {
            throw BotServiceError(
                "cannot open the database \(configuration.databasePath): \(error)",
                isConfigurationProblem: true)
        }
    }
}

/// Lets the voice joiner reach the router that is built after it.
final class RouterBox: Sendable {
    private let slot = Mutex<CommandRouter?>(nil)
    var router: CommandRouter? {
        get { slot.withLock { $0 } }
        set { slot.withLock { $0 = newValue } }
    }
}
