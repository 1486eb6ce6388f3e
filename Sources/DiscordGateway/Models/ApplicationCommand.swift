/// A slash command definition for bulk overwrite (doc §4).
///
/// Encodes to Discord's JSON; `id` is filled in on the commands Discord returns. Required options
/// must come before optional ones, which `validate()` checks before anything is sent.
package struct ApplicationCommand: Sendable, Codable, Equatable {
    package var id: Snowflake?
    package var name: String
    package var description: String
    /// 1 CHAT_INPUT (slash), 2 USER, 3 MESSAGE.
    package var type: Int
    package var options: [Option]
    /// `[0]` = guild only.
    package var contexts: [Int]?

    package init(name: String, description: String, options: [Option] = [], guildOnly: Bool = true) {
        self.name = name
        self.description = description
        self.type = 1
        self.options = options
        self.contexts = guildOnly ? [0] : nil
    }

    /// An option of a command.
    package struct Option: Sendable, Codable, Equatable {
        /// Option types used by Cadence's commands.
        package enum Kind: Int, Sendable, Codable {
            case subCommand = 1, subCommandGroup = 2, string = 3, integer = 4, boolean = 5
            case user = 6, channel = 7, role = 8, mentionable = 9, number = 10, attachment = 11
        }

        package var type: Kind
        package var name: String
        package var description: String
        package var required: Bool?
        package var autocomplete: Bool?
        package var choices: [Choice]?
        package var minValue: Double?
        package var maxValue: Double?
        package var minLength: Int?
        package var maxLength: Int?

        package init(
            _ type: Kind, name: String, description: String, required: Bool = false,
            autocomplete: Bool = false, choices: [Choice]? = nil, minValue: Double? = nil,
            maxValue: Double? = nil, minLength: Int? = nil, maxLength: Int? = nil
        ) {
            self.type = type
            self.name = name
            self.description = description
            self.required = required ? true : nil
            self.autocomplete = autocomplete ? true : nil
            self.choices = choices
            self.minValue = minValue
            self.maxValue = maxValue
            self.minLength = minLength
            self.maxLength = maxLength
        }

        enum CodingKeys: String, CodingKey {
            case type, name, description, required, autocomplete, choices
            case minValue = "min_value"
            case maxValue = "max_value"
            case minLength = "min_length"
            case maxLength = "max_length"
        }
    }

    /// A fixed choice of an option (then the only valid values).
    package struct Choice: Sendable, Codable, Equatable {
        package var name: String
        package var value: String

        package init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    enum CodingKeys: String, CodingKey { case id, name, description, type, options, contexts }

    package init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decodeIfPresent(Snowflake.self, forKey: .id)
        name = try c.decode(String.self, forKey: .name)
        description = try c.decodeIfPresent(String.self, forKey: .description) ?? ""
        type = try c.decodeIfPresent(Int.self, forKey: .type) ?? 1
        options = try c.decodeIfPresent([Option].self, forKey: .options) ?? []
        contexts = try c.decodeIfPresent([Int].self, forKey: .contexts)
    }

    /// Checks the limits Discord enforces (doc §4), so a bad definition fails at start-up with
    /// the field named instead of as a 50035 from Discord.
    package func validate() throws(DiscordRESTError) {
        func fail(_ why: String) -> DiscordRESTError { .invalidRequest("command '\(name)': \(why)") }
        guard (1...32).contains(name.count), name == name.lowercased() else { throw fail("name must be 1–32 lowercase characters") }
        guard (1...100).contains(description.count) else { throw fail("description must be 1–100 characters") }
        guard options.count <= 25 else { throw fail("more than 25 options") }
        var seenOptional = false
        for option in options {
            guard (1...32).contains(option.name.count) else { throw fail("option name '\(option.name)' must be 1–32 characters") }
            guard (1...100).contains(option.description.count) else {
                throw fail("option '\(option.name)' description must be 1–100 characters")
            }
            if option.required == true, seenOptional { throw fail("required option '\(option.name)' after an optional one") }
            if option.required != true { seenOptional = true }
            if option.autocomplete == true, option.choices != nil {
                throw fail("option '\(option.name)' has both choices and autocomplete")
            }
        }
    }
}
