import Foundation

/// Gateway intents (doc §1.6): which event groups the gateway sends.
///
/// A slash-command music bot needs `.musicBot` (GUILDS | GUILD_VOICE_STATES = 129); none of
/// these are privileged, so 4014 cannot happen with it.
public struct GatewayIntents: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let guilds = GatewayIntents(rawValue: 1 << 0)
    public static let guildMembers = GatewayIntents(rawValue: 1 << 1)
    public static let guildVoiceStates = GatewayIntents(rawValue: 1 << 7)
    public static let guildPresences = GatewayIntents(rawValue: 1 << 8)
    public static let guildMessages = GatewayIntents(rawValue: 1 << 9)
    public static let messageContent = GatewayIntents(rawValue: 1 << 15)

    /// GUILDS | GUILD_VOICE_STATES.
    public static let musicBot: GatewayIntents = [.guilds, .guildVoiceStates]
}

/// One shard of a bot's gateway connections: `[id, count]` in Identify.
public struct ShardID: Sendable, Hashable, CustomStringConvertible {
    public var id: Int
    public var count: Int

    public init(id: Int, count: Int) {
        self.id = id
        self.count = count
    }

    /// The only shard of an unsharded bot.
    public static let single = ShardID(id: 0, count: 1)

    /// The shard that receives events for `guild`: `(guild_id >> 22) % count` (doc §1.10).
    public static func shard(for guild: Snowflake, count: Int) -> Int {
        guard count > 1, let value = guild.numericValue else { return 0 }
        return Int((value >> 22) % UInt64(count))
    }

    public var description: String { "[\(id), \(count)]" }
}

/// The bot's presence sent with Identify.
public struct Presence: Sendable, Hashable {
    /// Discord's activity types; a music bot shows "Listening to …".
    public enum ActivityType: Int, Sendable { case playing = 0, streaming = 1, listening = 2, watching = 3, custom = 4, competing = 5 }
    public var status: String
    public var activityName: String?
    public var activityType: ActivityType

    public init(status: String = "online", activityName: String? = "music", activityType: ActivityType = .listening) {
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
