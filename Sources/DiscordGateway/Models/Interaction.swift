/// An INTERACTION_CREATE (doc §2.4): a slash command or an autocomplete request.
///
/// Answer it over REST with `id` and `token` (`DiscordREST.createInteractionResponse`) within
/// 3 s; the token then stays valid for 15 minutes of edits and followups.
package struct Interaction: Sendable, Decodable {
    /// 2 is a slash command, 4 an autocomplete request; others are kept by value.
    package struct Kind: RawRepresentable, Sendable, Hashable, Decodable {
        package let rawValue: Int
        package init(rawValue: Int) { self.rawValue = rawValue }
        package static let ping = Kind(rawValue: 1)
        package static let applicationCommand = Kind(rawValue: 2)
        package static let messageComponent = Kind(rawValue: 3)
        package static let autocomplete = Kind(rawValue: 4)
        package static let modalSubmit = Kind(rawValue: 5)
    }

    package var id: Snowflake
    package var applicationID: Snowflake
    package var token: String
    package var kind: Kind
    package var guildID: Snowflake?
    package var channelID: Snowflake?
    /// The invoker: `member.user` in a guild, `user` in a DM.
    package var user: User?
    /// `data.name` for commands and autocomplete.
    package var commandName: String?
    package var commandID: Snowflake?
    /// `data.options`, nested for subcommands.
    package var options: [InteractionOption]

    package init(
        id: Snowflake, applicationID: Snowflake, token: String, kind: Kind, guildID: Snowflake?,
        channelID: Snowflake?, user: User?, commandName: String?, commandID: Snowflake? = nil,
        options: [InteractionOption] = []
    ) {
        self.id = id
        self.applicationID = applicationID
        self.token = token
        self.kind = kind
        self.guildID = guildID
        self.channelID = channelID
        self.user = user
        self.commandName = commandName
        self.commandID = commandID
        self.options = options
    }

    /// The option named `name`, searched through subcommand levels too.
    package func option(_ name: String) -> InteractionOption? {
        InteractionOption.find(in: options) { $0.name == name }
    }

    /// The option the user is typing in an autocomplete request (`focused: true`).
    package var focusedOption: InteractionOption? {
        InteractionOption.find(in: options) { $0.focused }
    }

    enum CodingKeys: String, CodingKey {
        case id, token, type, data, member, user
        case applicationID = "application_id"
        case guildID = "guild_id"
        case channelID = "channel_id"
    }

    struct Member: Decodable { var user: User? }
    struct Payload: Decodable {
        var id: Snowflake?
        var name: String?
        var options: [InteractionOption]?
    }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(Snowflake.self, forKey: .id)
        applicationID = try c.decode(Snowflake.self, forKey: .applicationID)
        token = try c.decode(String.self, forKey: .token)
        kind = try c.decode(Kind.self, forKey: .type)
        guildID = try c.decodeIfPresent(Snowflake.self, forKey: .guildID)
        channelID = try c.decodeIfPresent(Snowflake.self, forKey: .channelID)
        let member = try c.decodeIfPresent(Member.self, forKey: .member)
        user = try member?.user ?? c.decodeIfPresent(User.self, forKey: .user)
        let data = try c.decodeIfPresent(Payload.self, forKey: .data)
        commandName = data?.name
        commandID = data?.id
        options = data?.options ?? []
    }
}

/// One entry of `data.options`: a value, or nested options for a subcommand.
package struct InteractionOption: Sendable, Decodable, Equatable {
    /// The option's value as Discord typed it (STRING 3, INTEGER 4, BOOLEAN 5, NUMBER 10;
    /// ids of USER/CHANNEL/ROLE arrive as strings).
    package enum Value: Sendable, Equatable {
        case string(String)
        case integer(Int64)
        case number(Double)
        case boolean(Bool)
    }

    package var name: String
    package var type: Int
    package var value: Value?
    /// True for the option being typed in an autocomplete request.
    package var focused: Bool
    package var options: [InteractionOption]

    package init(name: String, type: Int, value: Value?, focused: Bool = false, options: [InteractionOption] = []) {
        self.name = name
        self.type = type
        self.value = value
        self.focused = focused
        self.options = options
    }

    /// The value as text: strings as they are, numbers printed (autocomplete values can be partial).
    package var stringValue: String? {
        switch value {
        case let .string(text): text
        case let .integer(number): String(number)
        case let .number(number): String(number)
        case let .boolean(flag): String(flag)
        case nil: nil
        }
    }

    /// The value as an integer when it is one (or a string holding one, as autocomplete sends).
    package var integerValue: Int64? {
        switch value {
        case let .integer(number): number
        case let .number(number): number.rounded() == number ? Int64(exactly: number) : nil
        case let .string(text): Int64(text)
        default: nil
        }
    }

    enum CodingKeys: String, CodingKey { case name, type, value, focused, options }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decode(String.self, forKey: .name)
        type = try c.decode(Int.self, forKey: .type)
        focused = try c.decodeIfPresent(Bool.self, forKey: .focused) ?? false
        options = try c.decodeIfPresent([InteractionOption].self, forKey: .options) ?? []
        if let text = try? c.decode(String.self, forKey: .value) {
            value = .string(text)
        } else if let flag = try? c.decode(Bool.self, forKey: .value) {
            value = .boolean(flag)
        } else if let number = try? c.decode(Int64.self, forKey: .value) {
            value = type == 10 ? .number(Double(number)) : .integer(number)
        } else if let number = try? c.decode(Double.self, forKey: .value) {
            value = .number(number)
        } else {
            value = nil
        }
    }

    static func find(in options: [InteractionOption], where match: (InteractionOption) -> Bool) -> InteractionOption? {
        for option in options {
            if match(option) { return option }
            if let nested = find(in: option.options, where: match) { return nested }
        }
        return nil
    }
}
