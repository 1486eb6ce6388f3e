import DiscordGateway

/// Every command the bot offers, in the order people see them, as registered with Discord
/// (bulk overwrite at start-up). /uma and /about also work in direct messages.
package enum CommandCatalog {
    package static let all: [ApplicationCommand] = [
        command(
            "play", "Play a song (URL or search words) in your voice channel",
            [string("query", "A link or what to search for")]),
        command("pause", "Pause the current track"),
        command("resume", "Resume a paused track"),
        command("skip", "Skip to the next track in the queue"),
        command("stop", "Stop playing and clear the queue"),
        command("leave", "Leave the voice channel"),
        command("queue", "Show the queue", [.init(.integer, name: "page", description: "Page number", minValue: 1)]),
        command("nowplaying", "Show the current track with its progress"),
        command(
            "volume", "Set the volume",
            [
                .init(
                    .integer, name: "percent", description: "0–1000 % (100 is normal)", required: true,
                    minValue: Double(GuildPlayer.volumeRange.lowerBound), maxValue: Double(GuildPlayer.volumeRange.upperBound))
            ]),
        command(
            "filter", "Apply an audio filter (heard at once)",
            [
                .init(
                    .string, name: "preset", description: "nightcore, vaporwave, bassboost, 8d, karaoke or off", required: true,
                    choices: FilterPreset.allCases.map { .init(name: $0.rawValue, value: $0.rawValue) })
            ]),
        command(
            "crossfade", "Fade each track into the next (0 = gapless)",
            [
                .init(
                    .integer, name: "seconds", description: "0–12 seconds", required: true,
                    minValue: Double(GuildPlayer.crossfadeRange.lowerBound), maxValue: Double(GuildPlayer.crossfadeRange.upperBound))
            ]),
        command(
            "normalize", "Even out loudness from track to track (−14 LUFS)",
            [
                .init(
                    .string, name: "mode", description: "on or off", required: true,
                    choices: ["on", "off"].map { .init(name: $0, value: $0) })
            ]),
        command("seek", "Jump to a time in the current track", [string("position", "mm:ss, h:mm:ss or seconds")]),
        command(
            "loop", "Repeat the track or the queue",
            [
                .init(
                    .string, name: "mode", description: "off, track or queue", required: true,
                    choices: LoopMode.allCases.map { .init(name: $0.rawValue, value: $0.rawValue) })
            ]),
        command("shuffle", "Shuffle the queue"),
        command(
            "remove", "Remove a track from the queue",
            [.init(.integer, name: "position", description: "Its number in /queue", required: true, minValue: 1)]),
        command(
            "uma", "Look up an Uma Musume character",
            [.init(.string, name: "name", description: "Character name", required: true, autocomplete: true)],
            guildOnly: false),
        command("about", "Version, uptime and the current track's frame figures", guildOnly: false)
    ]

    package static func named(_ name: String) -> ApplicationCommand? { all.first { $0.name == name } }

    private static func command(
        _ name: String, _ description: String, _ options: [ApplicationCommand.Option] = [],
        guildOnly: Bool = true
    ) -> ApplicationCommand {
        ApplicationCommand(name: name, description: description, options: options, guildOnly: guildOnly)
    }

    private static func string(_ name: String, _ description: String) -> ApplicationCommand.Option {
        .init(.string, name: name, description: description, required: true)
    }
}
