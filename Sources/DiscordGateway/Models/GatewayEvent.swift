/// A typed dispatch (op 0) from the gateway, as `GatewayClient.events` yields it.
///
/// Only the events a music bot acts on are decoded; everything else arrives as `.other` with
/// its name so nothing is silently lost. A payload that does not decode is logged and skipped
/// by the client rather than ending the stream.
package enum GatewayEvent: Sendable {
    /// A new session: the bot user and application id (after Identify, not after Resume).
    case ready(Ready)
    /// A guild became available, with its voice channels and who is in voice.
    case guildCreate(Guild)
    /// The bot left a guild (`unavailable == false`) or the guild went down in an outage.
    case guildDelete(guildID: Snowflake, unavailable: Bool)
    /// A slash command or an autocomplete request; answer it over REST.
    case interactionCreate(Interaction)
    /// Someone (possibly the bot) joined, moved or left voice.
    case voiceStateUpdate(VoiceStateUpdate)
    /// Where the bot's voice connection for a guild goes (a null endpoint: wait for another).
    case voiceServerUpdate(VoiceServerUpdate)
    /// A resume completed; missed events were replayed before this one.
    case resumed
    /// Any other dispatch, by name.
    case other(name: String)
}

/// READY's payload (doc §1.7).
package struct Ready: Sendable, Codable {
    package var sessionID: String
    package var resumeGatewayURL: String
    package var user: User
    package var application: Application
    package var guilds: [UnavailableGuild]
    package var shard: [Int]?

    /// `application.id`, the `{app_id}` of command and webhook routes.
    package var applicationID: Snowflake { application.id }

    /// READY's `application`: its id is the `{app_id}` of REST routes.
    package struct Application: Sendable, Codable { package var id: Snowflake }
    /// A guild the bot is in; its GUILD_CREATE follows.
    package struct UnavailableGuild: Sendable, Codable { package var id: Snowflake }

    enum CodingKeys: String, CodingKey {
        case user, application, guilds, shard
        case sessionID = "session_id"
        case resumeGatewayURL = "resume_gateway_url"
    }
}

/// GUILD_CREATE's payload, reduced to what a music bot uses (doc §2.1).
package struct Guild: Sendable, Codable {
    package var id: Snowflake
    package var name: String?
    package var unavailable: Bool?
    package var memberCount: Int?
    package var channels: [Channel]
    /// Who is in voice right now. Discord leaves `guild_id` out here; decoding fills it in.
    package var voiceStates: [VoiceStateUpdate]

    /// A guild channel; voice channels have `type == 2`, stage channels 13.
    package struct Channel: Sendable, Codable, Hashable {
        package var id: Snowflake
        package var type: Int
        package var name: String?

        package var isVoice: Bool { type == 2 || type == 13 }
    }

    enum CodingKeys: String, CodingKey {
        case id, name, unavailable, channels
        case memberCount = "member_count"
        case voiceStates = "voice_states"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Snowflake.self, forKey: .id)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        unavailable = try c.decodeIfPresent(Bool.self, forKey: .unavailable)
        memberCount = try c.decodeIfPresent(Int.self, forKey: .memberCount)
        channels = try c.decodeIfPresent([Channel].self, forKey: .channels) ?? []
        let states = try c.decodeIfPresent([VoiceStateUpdate].self, forKey: .voiceStates) ?? []
        let guild = id
        voiceStates = states.map {
            var state = $0
            state.guildID = state.guildID ?? guild
            return state
        }
    }
}

/// A voice state (doc §2.2): VOICE_STATE_UPDATE's payload and GUILD_CREATE's `voice_states`.
///
/// `channelID == nil` means the user left voice; a changed channel is a move.
package struct VoiceStateUpdate: Sendable, Codable, Equatable {
    package var guildID: Snowflake?
    package var channelID: Snowflake?
    package var userID: Snowflake
    package var sessionID: String
    package var deaf: Bool
    package var mute: Bool
    package var selfDeaf: Bool
    package var selfMute: Bool

    package init(
        guildID: Snowflake?, channelID: Snowflake?, userID: Snowflake, sessionID: String,
        deaf: Bool = false, mute: Bool = false, selfDeaf: Bool = false, selfMute: Bool = false
    ) {
        self.guildID = guildID
        self.channelID = channelID
        self.userID = userID
        self.sessionID = sessionID
        self.deaf = deaf
        self.mute = mute
        self.selfDeaf = selfDeaf
        self.selfMute = selfMute
    }

    enum CodingKeys: String, CodingKey {
        case deaf, mute
        case guildID = "guild_id"
        case channelID = "channel_id"
        case userID = "user_id"
        case sessionID = "session_id"
        case selfDeaf = "self_deaf"
        case selfMute = "self_mute"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        guildID = try c.decodeIfPresent(Snowflake.self, forKey: .guildID)
        channelID = try c.decodeIfPresent(Snowflake.self, forKey: .channelID)
        userID = try c.decode(Snowflake.self, forKey: .userID)
        sessionID = try c.decodeIfPresent(String.self, forKey: .sessionID) ?? ""
        deaf = try c.decodeIfPresent(Bool.self, forKey: .deaf) ?? false
        mute = try c.decodeIfPresent(Bool.self, forKey: .mute) ?? false
        selfDeaf = try c.decodeIfPresent(Bool.self, forKey: .selfDeaf) ?? false
        selfMute = try c.decodeIfPresent(Bool.self, forKey: .selfMute) ?? false
    }
}

/// VOICE_SERVER_UPDATE's payload (doc §2.3). A nil `endpoint` means the voice server went
/// away: disconnect voice and wait for the next update.
package struct VoiceServerUpdate: Sendable, Codable, Equatable {
    package var token: String
    package var guildID: Snowflake
    package var endpoint: String?

    package init(token: String, guildID: Snowflake, endpoint: String?) {
        self.token = token
        self.guildID = guildID
        self.endpoint = endpoint
    }

    enum CodingKeys: String, CodingKey {
        case token, endpoint
        case guildID = "guild_id"
    }
}
