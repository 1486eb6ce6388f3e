/// Pairs the bot's own VOICE_STATE_UPDATE with VOICE_SERVER_UPDATE for one guild (doc §2.3) and
/// says when the voice connection should connect, pause, or end.
///
/// Feed it every voice event of its guild (`receive(_:)`), in the order the gateway delivered
/// them; it ignores other users and other guilds. The two halves may arrive in either order.
/// Guarantees:
/// - `.connect` only once both halves are present and the endpoint is non-null;
/// - a null endpoint yields `.serverLost` (disconnect voice, keep the player) and the next
///   server update yields `.connect` again;
/// - a move to another channel starts a new handshake: the old server half is dropped and
///   `.connect` comes again once the new VOICE_SERVER_UPDATE arrives;
/// - the bot's channel becoming null (left or kicked) yields `.ended` once.
///
/// A value type so the per-guild player actor can own it without extra locking.
package struct VoiceHandshake: Sendable {
    /// Everything DiscordVoice needs to open the voice gateway.
    package struct Connection: Sendable, Equatable {
        /// `host:port` as Discord sends it (or a `ws://` URL from the simulator).
        package var endpoint: String
        package var token: String
        package var sessionID: String
        package var guildID: Snowflake
        package var channelID: Snowflake
        package var userID: Snowflake

        package init(
            endpoint: String, token: String, sessionID: String, guildID: Snowflake, channelID: Snowflake,
            userID: Snowflake
        ) {
            self.endpoint = endpoint
            self.token = token
            self.sessionID = sessionID
            self.guildID = guildID
            self.channelID = channelID
            self.userID = userID
        }
    }

    /// What the voice side should do after an event.
    package enum Update: Sendable, Equatable {
        /// Connect (or reconnect) with these values.
        case connect(Connection)
        /// The voice server went away (null endpoint); disconnect and wait.
        case serverLost
        /// The bot is no longer in a voice channel of this guild (left, kicked, channel deleted).
        case ended
    }

    package let guildID: Snowflake
    package let botUserID: Snowflake
    private var channelID: Snowflake?
    private var sessionID: String?
    private var server: VoiceServerUpdate?
    private var connected = false

    package init(guildID: Snowflake, botUserID: Snowflake) {
        self.guildID = guildID
        self.botUserID = botUserID
    }

    /// The channel the bot is in according to the last own voice state, if any.
    package var currentChannel: Snowflake? { channelID }

    /// Feeds one gateway event; returns what changed, or nil when nothing did.
    package mutating func receive(_ event: GatewayEvent) -> Update? {
        switch event {
        case let .voiceStateUpdate(state): receive(state: state)
        case let .voiceServerUpdate(server): receive(server: server)
        default: nil
        }
    }

    /// Feeds a VOICE_STATE_UPDATE; only the bot's own state in this guild counts.
    package mutating func receive(state: VoiceStateUpdate) -> Update? {
        guard state.userID == botUserID, state.guildID == nil || state.guildID == guildID else { return nil }
        guard let newChannel = state.channelID else {
            let wasInVoice = channelID != nil || connected
            channelID = nil
            sessionID = nil
            server = nil
            connected = false
            return wasInVoice ? .ended : nil
        }
        if let old = channelID, old != newChannel {
            // Moved: Discord follows a move with a fresh server update; wait for it.
            server = nil
            connected = false
        }
        channelID = newChannel
        sessionID = state.sessionID
        return completed()
    }

    /// Feeds a VOICE_SERVER_UPDATE for this guild.
    package mutating func receive(server update: VoiceServerUpdate) -> Update? {
        guard update.guildID == guildID else { return nil }
        guard update.endpoint != nil else {
            server = nil
            let wasConnected = connected
            connected = false
            return wasConnected ? .serverLost : nil
        }
        server = update
        connected = false
        return completed()
    }

    private mutating func completed() -> Update? {
        guard !connected, let channelID, let sessionID, let server, let endpoint = server.endpoint else { return nil }
        connected = true
        return .connect(
            Connection(
                endpoint: endpoint, token: server.token, sessionID: sessionID,
                guildID: guildID, channelID: channelID, userID: botUserID))
    }
}
