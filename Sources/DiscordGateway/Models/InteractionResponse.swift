/// The body of a message: an interaction reply, an edit of the original response, or a followup.
///
/// `validate()` checks the message-level limits (2000 characters of content, 10 embeds, 6000
/// characters over all embeds) so a reply that Discord would refuse fails before it is sent.
public struct MessagePayload: Sendable, Codable, Equatable {
    public var content: String?
    public var embeds: [Embed]?
    /// 64 = EPHEMERAL (only the invoker sees it).
    public var flags: Int?

    public static let ephemeralFlag = 64

    public init(content: String? = nil, embeds: [Embed]? = nil, ephemeral: Bool = false) {
        self.content = content
        self.embeds = embeds
        self.flags = ephemeral ? Self.ephemeralFlag : nil
    }

    public var isEphemeral: Bool { (flags ?? 0) & Self.ephemeralFlag != 0 }

    public func validate() throws(DiscordRESTError) {
        if let content, content.count > 2000 { throw .invalidRequest("message content is \(content.count) characters (limit 2000)") }
        let embeds = embeds ?? []
        if embeds.count > 10 { throw .invalidRequest("message has \(embeds.count) embeds (limit 10)") }
        for embed in embeds { try embed.validate() }
        let total = embeds.reduce(0) { $0 + $1.textLength }
        if total > 6000 { throw .invalidRequest("embeds hold \(total) characters in all (limit 6000)") }
    }
}

/// One autocomplete suggestion (at most 25 per answer).
public struct AutocompleteChoice: Sendable, Codable, Equatable {
    public var name: String
    public var value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The first (and only) callback to an interaction (doc §3.3).
public enum InteractionResponse: Sendable, Equatable {
    /// Type 4: answer now.
    case message(MessagePayload)
    /// Type 5: "thinking…", to be completed with `editOriginalResponse`.
    case deferred(ephemeral: Bool)
    /// Type 8: autocomplete suggestions (truncated to 25).
    case autocomplete([AutocompleteChoice])

    /// The callback type number.
    public var type: Int {
        switch self {
        case .message: 4
        case .deferred: 5
        case .autocomplete: 8
        }
    }
}

/// A message Discord returns from an edit or followup.
public struct Message: Sendable, Codable, Equatable {
    public var id: Snowflake
    public var channelID: Snowflake?
    public var content: String?
    public var embeds: [Embed]?

    enum CodingKeys: String, CodingKey {
        case id, content, embeds
        case channelID = "channel_id"
    }
}

/// GET /gateway/bot (doc §1.1).
public struct GatewayBotInfo: Sendable, Codable, Equatable {
    public var url: String
    public var shards: Int
    public var sessionStartLimit: SessionStartLimit

    /// The Identify budget: Resume is free, Identify spends it.
    public struct SessionStartLimit: Sendable, Codable, Equatable {
        public var total: Int
        public var remaining: Int
        /// Milliseconds until the budget resets.
        public var resetAfter: Int
        /// Identify calls allowed per 5 s.
        public var maxConcurrency: Int

        enum CodingKeys: String, CodingKey {
            case total, remaining
            case resetAfter = "reset_after"
            case maxConcurrency = "max_concurrency"
        }
    }

    enum CodingKeys: String, CodingKey {
        case url, shards
        case sessionStartLimit = "session_start_limit"
    }
}
