/// The body of a message: an interaction reply, an edit of the original response, or a followup.
///
/// `validate()` checks the message-level limits (2000 characters of content, 10 embeds, 6000
/// characters over all embeds) so a reply that Discord would refuse fails before it is sent.
package struct MessagePayload: Sendable, Codable, Equatable {
    package var content: String?
    package var embeds: [Embed]?
    /// 64 = EPHEMERAL (only the invoker sees it).
    package var flags: Int?

    package static let ephemeralFlag = 64

    package init(content: String? = nil, embeds: [Embed]? = nil, ephemeral: Bool = false) {
        self.content = content
        self.embeds = embeds
        self.flags = ephemeral ? Self.ephemeralFlag : nil
    }

    package var isEphemeral: Bool { (flags ?? 0) & Self.ephemeralFlag != 0 }

    package func validate() throws(DiscordRESTError) {
        if let content, content.count > 2000 { throw .invalidRequest("message content is \(content.count) characters (limit 2000)") }
        let embeds = embeds ?? []
        if embeds.count > 10 { throw .invalidRequest("message has \(embeds.count) embeds (limit 10)") }
        for embed in embeds { try embed.validate() }
        let total = embeds.reduce(0) { $0 + $1.textLength }
        if total > 6000 { throw .invalidRequest("embeds hold \(total) characters in all (limit 6000)") }
    }
}

/// One autocomplete suggestion (at most 25 per answer).
package struct AutocompleteChoice: Sendable, Codable, Equatable {
    package var name: String
    package var value: String

    package init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The first (and only) callback to an interaction (doc §3.3).
package enum InteractionResponse: Sendable, Equatable {
    /// Type 4: answer now.
    case message(MessagePayload)
    /// Type 5: "thinking…", to be completed with `editOriginalResponse`.
    case deferred(ephemeral: Bool)
    /// Type 8: autocomplete suggestions (truncated to 25).
    case autocomplete([AutocompleteChoice])

    /// The callback type number.
    package var type: Int {
        switch self {
        case .message: 4
        case .deferred: 5
        case .autocomplete: 8
        }
    }
}

/// A message Discord returns from an edit or followup.
package struct Message: Sendable, Codable, Equatable {
    package var id: Snowflake
    package var channelID: Snowflake?
    package var content: String?
    package var embeds: [Embed]?

    enum CodingKeys: String, CodingKey {
        case id, content, embeds
        case channelID = "channel_id"
    }
}

/// GET /gateway/bot (doc §1.1).
package struct GatewayBotInfo: Sendable, Codable, Equatable {
    package var url: String
    package var shards: Int
    package var sessionStartLimit: SessionStartLimit

    /// The Identify budget: Resume is free, Identify spends it.
    package struct SessionStartLimit: Sendable, Codable, Equatable {
        package var total: Int
        package var remaining: Int
        /// Milliseconds until the budget resets.
        package var resetAfter: Int
        /// Identify calls allowed per 5 s.
        package var maxConcurrency: Int

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
