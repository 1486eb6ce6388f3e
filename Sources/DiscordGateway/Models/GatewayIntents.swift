import Foundation

/// Gateway intents (doc §1.6): which event groups the gateway sends.
///
/// A slash-command music bot needs `.musicBot` (GUILDS | GUILD_VOICE_STATES = 129); none of
/// these are privileged, so 4014 cannot happen with it.
package struct GatewayIntents: OptionSet, Sendable, Hashable {
    package let rawValue: Int
    package init(rawValue: Int) { self.rawValue = rawValue }

    package static let guilds = GatewayIntents(rawValue: 1 << 0)
    package static let guildMembers = GatewayIntents(rawValue: 1 << 1)
    package static let guildVoiceStates = GatewayIntents(rawValue: 1 << 7)
    package static let guildPresences = GatewayIntents(rawValue: 1 << 8)
    package static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    package static let messageContent = GatewayIntents(rawValue: 1 << 15)

    /// GUILDS | GUILD_VOICE_STATES.
    package static let musicBot: GatewayIntents = [.guilds, .guildVoiceStates]
}

/// One shard of a bot's gateway connections: `[id, count]` in Identify.
package struct ShardID: Sendable, Hashable, CustomStringConvertible {
    package var id: Int
    package var count: Int

    package init(id: Int, count: Int) {
        self.id = id
        self.count = count
    }

    /// The only shard of an unsharded bot.
    package static let single = ShardID(id: 0, count: 1)

    /// The shard that receives events for `guild`: `(guild_id >> 22) % count` (doc §1.10).
    package static func shard(for guild: Snowflake, count: Int) -> Int {
        guard count > 1, let value = guild.numericValue else { return 0 }
        return Int((value >> 22) % UInt64(count))
    }

    package var description: String { "[\(id), \(count)]" }
}

/// The bot's presence sent with Identify.
package struct Presence: Sendable, Hashable {
    /// Discord's activity types; a music bot shows "Listening to …".
    package enum ActivityType: Int, Sendable { case playing = 0, streaming = 1, listening = 2, watching = 3, custom = 4, competing = 5 }
    package var status: String
    package var activityName: String?
    package var activityType: ActivityType

    package init(status: String = "online", activityName: String? = "music", activityType: ActivityType = .listening) {
        self.status = status
        self.activityName = activityName
        self.activityType = activityType
    }

    var json: [String: Any] {
        var activities: [[String: Any]] = []
        if let activityName { activities.append(["name": activityName, "type": activityType.rawValue]) }
        return ["since": NSNull(), "activities": activities, "status": status, "afk": false]
    }
}
