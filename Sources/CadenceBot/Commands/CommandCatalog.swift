/// One slash command as registered with Discord (bulk overwrite at start-up).
public struct CommandDefinition: Sendable, Equatable, Encodable {
    /// One option of a command.
    public struct Option: Sendable, Equatable, Encodable {
        public enum Kind: Int, Sendable, Encodable {
            case string = 3
            case integer = 4
        }

        public struct Choice: Sendable, Equatable, Encodable {
            public var name: String
            public var value: String
        }

        public var type: Kind
        public var name: String
        public var description: String
        public var required: Bool
        public var autocomplete: Bool?
        public var minValue: Int?
        public var maxValue: Int?
        public var choices: [Choice]?

        enum CodingKeys: String, CodingKey {
            case type, name, description, required, autocomplete, choices
            case minValue = "min_value", maxValue = "max_value"
        }
    }

    public var name: String
    public var description: String
    public var options: [Option]
    /// CHAT_INPUT.
    public var type = 1
}

/// Every command the bot offers, in the order people see them.
public enum CommandCatalog {
    public static let all: [CommandDefinition] = [
        command("play", "Play a song (URL or search words) in your voice channel",
                [string("query", "A link or what to search for")]),
        command("pause", "Pause the current track"),
        command("resume", "Resume a paused track"),
        command("skip", "Skip to the next track in the queue"),
        command("stop", "Stop playing and clear the queue"),
        command("leave", "Leave the voice channel"),
        command("queue", "Show the queue", [integer("page", "Page number", required: false, min: 1, max: nil)]),
        command("nowplaying", "Show the current track with its progress"),
        command("volume", "Set the volume", [integer("percent", "0–200 %", required: true, min: 0, max: 200)]),
        command("seek", "Jump to a time in the current track", [string("position", "mm:ss, h:mm:ss or seconds")]),
        command("loop", "Repeat the track or the queue", [
            .init(type: .string, name: "mode", description: "off, track or queue", required: true,
                  choices: LoopMode.allCases.map { .init(name: $0.rawValue, value: $0.rawValue) }),
        ]),
        command("shuffle", "Shuffle the queue"),
        command("remove", "Remove a track from the queue", [integer("position", "Its number in /queue", required: true, min: 1, max: nil)]),
        command("uma", "Look up an Uma Musume character", [
            .init(type: .string, name: "name", description: "Character name", required: true, autocomplete: true),
        ]),
        command("about", "Version, uptime and the current track's frame figures"),
    ]

    private static func command(_ name: String, _ description: String, _ options: [CommandDefinition.Option] = [])
        -> CommandDefinition
    {
        CommandDefinition(name: name, description: description, options: options)
    }

    private static func string(_ name: String, _ description: String) -> CommandDefinition.Option {
        .init(type: .string, name: name, description: description, required: true)
    }

    private static func integer(_ name: String, _ description: String, required: Bool, min: Int?, max: Int?)
        -> CommandDefinition.Option
    {
        .init(type: .integer, name: name, description: description, required: required, minValue: min, maxValue: max)
    }
}
