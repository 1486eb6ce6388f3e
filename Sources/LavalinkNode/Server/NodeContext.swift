import AudioEngine
import Foundation
import Logging
import Resolver
import Store

/// What every request, socket and player of one node shares: settings, the pacer all
/// players send on, the resolver, the sessions, and the clock the stats start from.
package final class NodeContext: Sendable {
    package let configuration: NodeConfiguration
    package let pacer: Pacer
    package let resolver: TrackResolver
    package let policy: SourcePolicy
    package let sessions: SessionRegistry
    package let logger: Logger
    package let startedAt = Date()
    package let stats = StatsCollector()
    /// Where resumable sessions outlive the process (`CADENCE_DB`), if anywhere.
    package let store: LavalinkSessionRepository?

    /// - Parameter resolver: a resolver of the caller's (tests use a stand-in yt-dlp); else the
    ///   usual warm worker with the policy from the configuration.
    package init(configuration: NodeConfiguration, logger: Logger, resolver: TrackResolver? = nil) {
        self.configuration = configuration
        self.logger = logger
        pacer = Pacer(name: "cadence.node.pacer")
        policy = SourcePolicy(
            allowPrivateNetwork: configuration.allowPrivateNetwork,
            allowFiles: configuration.sourceEnabled("local"))
        self.resolver = resolver ?? TrackResolver(policy: policy)
        sessions = SessionRegistry()
        if let path = configuration.databasePath {
            do {
                store = LavalinkSessionRepository(database: try AppDatabase(path: path))
            } catch {
                logger.error("cannot open the store; sessions will not survive a restart", metadata: ["error": "\(error)"])
                store = nil
            }
        } else {
            store = nil
        }
    }

    /// Brings back the resumable sessions a previous process saved, players and all; those
    /// whose resume timeout has passed are dropped.
    package func restoreSessions() async {
        guard let store, let records = try? await store.all() else { return }
        for record in records {
            guard record.savedAt.addingTimeInterval(TimeInterval(record.timeoutSeconds)) > Date(),
                case let .array(players)? = try? JSONValue.parse(Data(record.players.utf8))
            else {
                try? await store.delete(id: record.id)
                continue
            }
            let session = await sessions.adopt(id: record.id, userId: record.userID, clientName: record.clientName, context: self)
            await session.setRestoredTimeout(record.timeoutSeconds)
            await session.restore(players: players)
            logger.info("restored session", metadata: ["session": "\(record.id)", "players": "\(players.count)"])
        }
    }

    /// Ring size for each player: `bufferDurationMs`, but never under one second, which the
    /// engine needs to ride out a busy machine.
    package var ringFrames: Int { max(50, configuration.bufferDurationMs / 20) }

    package var playerOptions: PlayerOptions {
        PlayerOptions(ringCapacity: ringFrames, stuckThreshold: .milliseconds(configuration.trackStuckThresholdMs))
    }

    /// The source managers `/v4/info` names: only what this node serves.
    package var sourceManagers: [String] {
        var names = ["http"]
        if configuration.sourceEnabled("local") { names.append("local") }
        if configuration.sourceEnabled("youtube") { names.append("youtube") }
        if configuration.sourceEnabled("soundcloud") { names.append("soundcloud") }
        return names
    }

    /// The filters `/v4/info` names: enabled in the config and really applied by the engine.
    package var infoFilters: [String] {
        NodeConfiguration.filterNames.filter { configuration.filterEnabled($0) && EngineMapping.appliedFilters.contains($0) }
    }

    package func shutdown() {
        resolver.worker?.shutdown()
        pacer.shutdown()
    }
}
