import DiscordGateway
import Foundation
import Logging
import Synchronization

extension BotService {
    /// What the event loop and its helpers share.
    struct Context: Sendable {
        let gateway: GatewayShardCluster
        let rest: DiscordREST
        let applicationID: Snowflake
        let router: CommandRouter
        let roster: VoiceRoster
        let joiner: GatewayVoiceJoiner
        let health: HealthState
        let logger: Logger
        let fatal = FatalSlot()

        init(
            gateway: GatewayShardCluster, rest: DiscordREST, applicationID: Snowflake, router: CommandRouter,
            roster: VoiceRoster, joiner: GatewayVoiceJoiner, health: HealthState, logger: Logger
        ) {
            self.gateway = gateway
            self.rest = rest
            self.applicationID = applicationID
            self.router = router
            self.roster = roster
            self.joiner = joiner
            self.health = health
            self.logger = logger
        }
    }

    /// One gateway event. Voice events are applied in order here; interactions run as child
    /// tasks so a slow /play never holds up the next event.
    static func dispatch(_ event: GatewayEvent, context: Context, group: inout DiscardingTaskGroup) async {
        switch event {
        case let .guildCreate(guild):
            context.roster.load(guild)
        case let .voiceStateUpdate(state):
            context.roster.apply(state)
            await context.joiner.receive(event)
        case .voiceServerUpdate:
            await context.joiner.receive(event)
        case let .interactionCreate(interaction):
            group.addTask { await answer(interaction, context: context) }
        case .resumed:
            context.logger.info("gateway resumed")
        case .ready, .guildDelete, .other:
            return
        }
    }

    /// Answers one interaction: input mistakes at once (ephemeral), everything else with a
    /// deferred reply that is then edited with the outcome.
    static func answer(_ interaction: Interaction, context: Context) async {
        var logger = context.logger
        logger[metadataKey: "guild"] = "\(interaction.guildID?.rawValue ?? "dm")"
        logger[metadataKey: "command"] = "\(interaction.commandName ?? "?")"
        do {
            if interaction.kind == .autocomplete {
                let partial = interaction.focusedOption?.stringValue ?? ""
                let names = await context.router.umaSuggestions(for: partial)
                try await context.rest.respond(to: interaction, .autocomplete(names.map { .init(name: $0, value: $0) }))
                return
            }
            guard interaction.kind == .applicationCommand,
                let request = DiscordBridge.request(from: interaction, roster: context.roster)
            else { return }
            var early = context.router.precheck(request)
            if early == nil { early = await context.router.stateCheck(request) }
            if let early {
                try await context.rest.respond(to: interaction, .message(DiscordBridge.message(from: early)))
                logger.info("refused", metadata: ["reason": "\(early.content)"])
                return
            }
            try await context.rest.respond(to: interaction, .deferred(ephemeral: false))
            let reply = await context.router.handle(request)
            try await deliver(reply, to: interaction, rest: context.rest, logger: logger)
            logger.info("answered", metadata: ["ephemeral": "\(reply.ephemeral)"])
        } catch {
            logger.warning("could not answer the interaction: \(error)")
        }
    }

    /// Completes a deferred (public) reply. A private reply cannot be an edit of a public one,
    /// so the deferral is withdrawn and the reply goes out as an ephemeral followup: errors found
    /// only while running (a refused URL) are never shown to the channel.
    static func deliver(
        _ reply: CommandReply, to interaction: Interaction, rest: DiscordREST,
        logger: Logger
    ) async throws {
        let message = DiscordBridge.message(from: reply)
        guard reply.ephemeral else {
            try await rest.editOriginalResponse(applicationID: interaction.applicationID, token: interaction.token, message)
            return
        }
        do {
            try await rest.deleteOriginalResponse(applicationID: interaction.applicationID, token: interaction.token)
        } catch {
            // The caller still needs the answer; a stale "thinking…" is the lesser harm.
            logger.warning("could not withdraw the deferred reply: \(error)")
        }
        try await rest.createFollowup(applicationID: interaction.applicationID, token: interaction.token, message)
    }

    /// Every 2 s: refresh listener counts, leave guilds idle or alone for 5 minutes, and
    /// update the figures /healthz and /metrics serve.
    static func housekeeping(_ context: Context) async {
        while !Task.isCancelled {
            var snapshot = HealthState.Snapshot()
            let shards = context.gateway.shards
            snapshot.gatewayConnected = !shards.isEmpty && shards.allSatisfy(\.isConnected)
            snapshot.storeOK = true
            for player in context.router.activePlayers {
                if let moved = await context.joiner.channel(of: player.guildID), moved != (await player.channelID) {
                    await player.moved(to: moved)
                }
                if let channel = await player.channelID {
                    let count = context.roster.listeners(
                        in: Snowflake(channel), guild: Snowflake(player.guildID),
                        excluding: shards.first?.botUser?.id)
                    await player.listenersChanged(count: count)
                }
                if await player.isConnected { snapshot.players += 1 }
                if let figures = await player.currentStats, let stats = figures.stats {
                    snapshot.framesSent += stats.sent
                    snapshot.framesNulled += stats.nulled
                    snapshot.framesDeficit += stats.deficit
                    snapshot.recoveries += figures.recoveries
                }
            }
            snapshot.gatewayResumes = shards.reduce(0) { $0 + $1.statistics.resumed }
            context.health.replace(snapshot)
            for (guild, reason) in await context.router.autoLeaveSweep() {
                context.logger.info("auto-leave", metadata: ["guild": "\(guild)", "reason": "\(reason.rawValue)"])
            }
            try? await Task.sleep(for: .seconds(2))
        }
    }
}

/// The error that ended the gateway loop, if one did; read once the loop is over.
final class FatalSlot: Sendable {
    private let slot = Mutex<(any Error)?>(nil)
    func withLock<T>(_ body: (inout (any Error)?) -> T) -> T { slot.withLock { body(&$0) } }
}
