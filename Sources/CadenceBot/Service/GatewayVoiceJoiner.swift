import AudioEngine
import DiscordGateway
import DiscordVoice
import Foundation
import Logging

/// Joins voice through the main gateway: sends Update Voice State, waits for both halves of
/// the handshake (`VoiceHandshake`), then opens a DiscordVoice connection whose RTP sender is
/// the sink of a fresh engine `Player` on the shared pacer.
///
/// Guarantees: one voice connection per guild; a move or a new voice server is handed to the
/// existing connection (no second join); a kick or channel deletion ends the guild's voice
/// and is reported through `onEnded`; a gateway RESUME changes nothing here.
package actor GatewayVoiceJoiner {
    struct GuildVoice {
        var handshake: VoiceHandshake
        var channelID: Snowflake
        var connection: VoiceConnection?
        var player: Player?
        var waiter: CheckedContinuation<VoiceHandshake.Connection, any Error>?
        /// Which join made this entry, so a timeout left over from an earlier one fails nothing.
        var attempt = 0
        var watcher: Task<Void, Never>?
    }

    /// Why a join did not complete.
    package enum JoinError: Error, CustomStringConvertible {
        case timedOut
        case removed
        case gatewayClosed

        package var description: String {
            switch self {
            case .timedOut: "Discord did not send the voice server in time"
            case .removed: "the bot was removed from the channel while joining"
            case .gatewayClosed: "the gateway is closed"
            }
        }
    }

    let gateway: GatewayShardCluster
    let pacer: Pacer
    let botUserID: Snowflake
    let joinTimeout: Duration
    let logger: Logger
    let onEnded: @Sendable (String) async -> Void
    var guilds: [Snowflake: GuildVoice] = [:]
    /// Joins under way, so a second /play while the first is joining waits for the same one.
    var joining: [Snowflake: Task<Player, any Error>] = [:]
    /// Joins started, numbering `GuildVoice.attempt`.
    var attempts = 0
    /// Joins completed, for tests that check a RESUME caused no second one.
    package private(set) var joinCount = 0

    package init(
        gateway: GatewayShardCluster, pacer: Pacer, botUserID: Snowflake, joinTimeout: Duration = .seconds(10),
        logger: Logger, onEnded: @escaping @Sendable (String) async -> Void
    ) {
        self.gateway = gateway
        self.pacer = pacer
        self.botUserID = botUserID
        self.joinTimeout = joinTimeout
        self.logger = logger
        self.onEnded = onEnded
    }

    /// Connects to `channelID` and returns the engine that sends into it.
    package func join(guildID: String, channelID: String) async throws -> Player {
        let guild = Snowflake(guildID), channel = Snowflake(channelID)
        if let existing = guilds[guild], let player = existing.player {
            if existing.channelID != channel {
                // A move: Discord answers with a new server update, which `receive` hands over.
                guilds[guild]?.channelID = channel
                try sendVoiceState(guild: guild, channel: channel)
            }
            return player
        }
        if let pending = joining[guild] { return try await pending.value }
        // Detached: the voice connection's tasks must not inherit the service group's graceful
        // shutdown signal, or the WebSocket library closes them before the silence tail is out.
        let task = Task.detached { try await self.connect(guild: guild, channel: channel) }
        joining[guild] = task
        defer { joining[guild] = nil }
        return try await task.value
    }

    private func connect(guild: Snowflake, channel: Snowflake) async throws -> Player {
        let guildID = guild.rawValue, channelID = channel.rawValue
        attempts += 1
        guilds[guild] = GuildVoice(
            handshake: VoiceHandshake(guildID: guild, botUserID: botUserID), channelID: channel, attempt: attempts)
        let target: VoiceHandshake.Connection
        do {
            target = try await waitForVoiceServer(guild: guild, channel: channel)
        } catch {
            // Nothing joined: the guild holds no half-made voice until its next join.
            guilds[guild] = nil
            throw error
        }
        let connection = VoiceConnection(
            identity: VoiceIdentity(
                guildID: guildID, userID: botUserID.rawValue, sessionID: target.sessionID,
                channelID: target.channelID.rawValue),
            server: VoiceServer(endpoint: target.endpoint, token: target.token))
        do {
            try await connection.connect()
        } catch {
            guilds[guild] = nil
            try? sendVoiceState(guild: guild, channel: nil)
            throw error
        }
        let player = Player(sink: connection.sender, pacer: pacer, options: PlayerOptions(ringCapacity: Self.ringFrames))
        guilds[guild]?.connection = connection
        guilds[guild]?.player = player
        guilds[guild]?.watcher = watch(connection, guild: guild)
        joinCount += 1
        logger.info("joined voice", metadata: ["guild": "\(guildID)", "channel": "\(channelID)", "endpoint": "\(target.endpoint)"])
        return player
    }

    /// Sends Update Voice State and waits for both voice events (or the join timeout).
    private func waitForVoiceServer(guild: Snowflake, channel: Snowflake) async throws -> VoiceHandshake.Connection {
        try await withCheckedThrowingContinuation { continuation in
            guilds[guild]?.waiter = continuation
            do {
                try sendVoiceState(guild: guild, channel: channel)
            } catch {
                guilds[guild]?.waiter = nil
                continuation.resume(throwing: error)
                return
            }
            let timeout = joinTimeout, attempt = attempts
            Task { [weak self] in
                try? await Task.sleep(for: timeout)
                await self?.failWaiter(guild, JoinError.timedOut, attempt: attempt)
            }
        }
    }

    /// One second of audio buffered per guild: enough to ride out a short network stall, short
    /// enough that /volume is heard within a second (the ring holds frames already encoded).
    static let ringFrames = 50

    package func leave(guildID: String) async {
        let guild = Snowflake(guildID)
        guard let voice = guilds.removeValue(forKey: guild) else { return }
        try? sendVoiceState(guild: guild, channel: nil)
        await close(voice)
        logger.info("left voice", metadata: ["guild": "\(guildID)"])
    }

    /// Every guild's player ends with silence and speaking 0, then its connection closes.
    package func shutdown() async {
        let all = guilds
        logger.info("closing voice", metadata: ["guilds": "\(all.count)"])
        guilds.removeAll()
        await withTaskGroup(of: Void.self) { group in
            for (_, voice) in all { group.addTask { await Self.closeQuietly(voice) } }
        }
    }

    /// Feeds a gateway voice event to its guild's handshake.
    package func receive(_ event: GatewayEvent) async {
        let guild: Snowflake?
        switch event {
        case let .voiceStateUpdate(state): guild = state.userID == botUserID ? state.guildID : nil
        case let .voiceServerUpdate(server): guild = server.guildID
        default: guild = nil
        }
        guard let guild, var voice = guilds[guild] else { return }
        let update = voice.handshake.receive(event)
        guilds[guild]?.handshake = voice.handshake
        switch update {
        case let .connect(target)?:
            if let waiter = voice.waiter {
                guilds[guild]?.waiter = nil
                waiter.resume(returning: target)
            } else {
                // A new server or a move (perhaps by a moderator): the connection follows it,
                // and DAVE's MLS group follows the channel.
                guilds[guild]?.channelID = target.channelID
                voice.connection?.serverUpdate(
                    VoiceServer(endpoint: target.endpoint, token: target.token),
                    channelID: target.channelID.rawValue)
            }
        case .serverLost?:
            voice.connection?.serverUpdate(nil)
        case .ended?:
            guilds[guild] = nil
            voice.waiter?.resume(throwing: JoinError.removed)
            // Closing waits for the silence tail; the gateway's event loop must not wait with it.
            Task { await Self.closeQuietly(voice) }
            await onEnded(guild.rawValue)
        case nil:
            return
        }
    }

    /// The channel the bot is in for `guildID`, as the last handshake said.
    package func channel(of guildID: String) -> String? { guilds[Snowflake(guildID)]?.channelID.rawValue }

    package var connectedGuilds: Int { guilds.values.filter { $0.connection != nil }.count }

    private func failWaiter(_ guild: Snowflake, _ error: any Error, attempt: Int) {
        guard let waiter = guilds[guild]?.waiter, guilds[guild]?.attempt == attempt else { return }
        guilds[guild] = nil
        waiter.resume(throwing: error)
        try? sendVoiceState(guild: guild, channel: nil)
    }

    private func sendVoiceState(guild: Snowflake, channel: Snowflake?) throws {
        // Op 4 goes on the shard that receives the guild's events.
        guard let client = gateway.client(for: guild) else { throw JoinError.gatewayClosed }
        do { try client.updateVoiceState(guild: guild, channel: channel) } catch { throw JoinError.gatewayClosed }
    }

    /// Asks the gateway for a fresh voice server when the voice connection needs a new token.
    private func watch(_ connection: VoiceConnection, guild: Snowflake) -> Task<Void, Never> {
        let logger = logger
        return Task { [weak self] in
            for await event in connection.events {
                logger.debug("voice event", metadata: ["guild": "\(guild)", "event": "\(event)"])
                if case .rejoinRequested = event { await self?.rejoin(guild) }
            }
        }
    }

    private func rejoin(_ guild: Snowflake) {
        guard let channel = guilds[guild]?.channelID else { return }
        try? sendVoiceState(guild: guild, channel: channel)
    }

    private func close(_ voice: GuildVoice) async { await Self.closeQuietly(voice) }

    /// Stops the track (the engine sends 5 silence frames, then speaking 0) and waits up to
    /// one second for that to go out before closing the socket.
    static func closeQuietly(_ voice: GuildVoice) async {
        voice.watcher?.cancel()
        if let player = voice.player {
            player.stop()
            for _ in 0..<50 where player.isActive { try? await Task.sleep(for: .milliseconds(20)) }
        }
        await voice.connection?.disconnect()
    }
}
