/// A Discord id (guild, channel, user, interaction, application).
///
/// Discord sends snowflakes as JSON strings; this type keeps them as the exact string so no
/// precision is lost, and also accepts a bare JSON number when decoding (older payloads, tests).
public struct Snowflake: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let rawValue: String

    public init(_ rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }

    public var description: String { rawValue }

    /// The numeric value, when the string is one (used for shard routing: `(id >> 22) % shards`).
    public var numericValue: UInt64? { UInt64(rawValue) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            rawValue = text
        } else {
            rawValue = String(try container.decode(UInt64.self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A Discord user, as far as a music bot needs one.
public struct User: Sendable, Hashable, Codable {
    public var id: Snowflake
    public var username: String
    public var globalName: String?
    public var bot: Bool

    public init(id: Snowflake, username: String, globalName: String? = nil, bot: Bool = false) {
        self.id = id
        self.username = username
        self.globalName = globalName
        self.bot = bot
    }

    /// What to show in a reply: the display name when set, else the username.
    public var displayName: String { globalName ?? username }

    enum CodingKeys: String, CodingKey {
        case id, username, bot
        case globalName = "global_name"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Snowflake.self, forKey: .id)
        username = try c.decodeIfPresent(String.self, forKey: .username) ?? ""
        globalName = try c.decodeIfPresent(String.self, forKey: .globalName)
        bot = try c.decodeIfPresent(Bool.self, forKey: .bot) ?? false
    }
}
