/// A Discord id (guild, channel, user, interaction, application).
///
/// Discord sends snowflakes as JSON strings; this type keeps them as the exact string so no
/// precision is lost, and also accepts a bare JSON number when decoding (older payloads, tests).
package struct Snowflake: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral {
    package let rawValue: String

    package init(_ rawValue: String) { self.rawValue = rawValue }
    package init(stringLiteral value: String) { rawValue = value }

    package var description: String { rawValue }

    /// The numeric value, when the string is one (used for shard routing: `(id >> 22) % shards`).
    package var numericValue: UInt64? { UInt64(rawValue) }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            rawValue = text
        } else {
            rawValue = String(try container.decode(UInt64.self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A Discord user, as far as a music bot needs one.
package struct User: Sendable, Hashable, Codable {
    package var id: Snowflake
    package var username: String
    package var globalName: String?
    package var bot: Bool

    package init(id: Snowflake, username: String, globalName: String? = nil, bot: Bool = false) {
        self.id = id
        self.username = username
        self.globalName = globalName
        self.bot = bot
    }

    /// What to show in a reply: the display name when set, else the username.
    package var displayName: String { globalName ?? username }

    enum CodingKeys: String, CodingKey {
        case id, username, bot
        case globalName = "global_name"
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Snowflake.self, forKey: .id)
        username = try c.decodeIfPresent(String.self, forKey: .username) ?? ""
        globalName = try c.decodeIfPresent(String.self, forKey: .globalName)
        bot = try c.decodeIfPresent(Bool.self, forKey: .bot) ?? false
    }
}
