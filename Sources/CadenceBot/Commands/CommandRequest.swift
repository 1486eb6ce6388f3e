/// A slash command as the router sees it: who ran what, where, with which options. The
/// service builds it from INTERACTION_CREATE; tests build it directly.
package struct CommandRequest: Sendable, Equatable {
    /// An option's value as Discord sends it.
    package enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int)

        var text: String {
            switch self {
            case let .string(value): value
            case let .integer(value): String(value)
            }
        }
    }

    package var name: String
    package var options: [String: Value]
    package var userID: String
    /// nil in direct messages.
    package var guildID: String?
    /// The voice channel the user is in (from the gateway's voice states), if any.
    package var userVoiceChannelID: String?

    package init(
        name: String, options: [String: Value] = [:], userID: String, guildID: String?,
        userVoiceChannelID: String? = nil
    ) {
        self.name = name
        self.options = options
        self.userID = userID
        self.guildID = guildID
        self.userVoiceChannelID = userVoiceChannelID
    }

    func string(_ name: String) throws(PlayerCommandError) -> String {
        guard let value = options[name]?.text, !value.isEmpty else { throw .missingOption(name) }
        return value
    }

    func integer(_ name: String) throws(PlayerCommandError) -> Int {
        switch options[name] {
        case let .integer(value): return value
        case let .string(text): if let value = Int(text) { return value }
        case nil: break
        }
        throw .missingOption(name)
    }
}

/// What the bot answers: text, and for /uma an embed. Ephemeral replies are seen only by the
/// person who ran the command (every error is one).
package struct CommandReply: Sendable, Equatable {
    package var content: String
    package var ephemeral: Bool
    package var embed: ReplyEmbed?

    package init(_ content: String, ephemeral: Bool = false, embed: ReplyEmbed? = nil) {
        self.content = content
        self.ephemeral = ephemeral
        self.embed = embed
    }

    static func error(_ error: PlayerCommandError) -> CommandReply { CommandReply(error.description, ephemeral: true) }
}

/// A Discord embed, reduced to what the bot shows.
package struct ReplyEmbed: Sendable, Equatable {
    package struct Field: Sendable, Equatable {
        package var name: String
        package var value: String
        package var inline: Bool
    }

    package var title: String
    package var description: String?
    package var url: String?
    package var imageURL: String?
    /// 0xRRGGBB.
    package var color: Int?
    package var fields: [Field]

    package init(
        title: String, description: String? = nil, url: String? = nil, imageURL: String? = nil,
        color: Int? = nil, fields: [Field] = []
    ) {
        self.title = title
        self.description = description
        self.url = url
        self.imageURL = imageURL
        self.color = color
        self.fields = fields
    }
}
