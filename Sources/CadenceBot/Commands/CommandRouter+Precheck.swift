extension CommandRouter {
    /// Checks what can be checked without touching a player: the command exists, it runs in a
    /// guild, its options are present and well-formed, and /play's caller is in voice.
    ///
    /// The service answers these at once with an ephemeral message, before it defers, because
    /// a deferred reply's visibility is fixed when it is sent.
    package func precheck(_ request: CommandRequest) -> CommandReply? {
        do {
            try validate(request)
            return nil
        } catch {
            return .error(error)
        }
    }

    /// Checks what the guild's player state already decides (nothing playing, not paused, no
    /// such queue position), without creating a player. Like `precheck`, a non-nil reply is
    /// meant to be sent ephemerally before deferring.
    package func stateCheck(_ request: CommandRequest) async -> CommandReply? {
        guard let guildID = request.guildID else { return nil }
        let position = request.name == "remove" ? try? request.integer("position") : nil
        guard let player = players.withLock({ $0[guildID] }) else {
            let needsPlayer: Set<String> = ["pause", "resume", "seek", "skip", "nowplaying", "stop"]
            if needsPlayer.contains(request.name) { return .error(.nothingPlaying) }
            if request.name == "shuffle" { return .error(.queueEmpty) }
            if request.name == "remove", let position { return .error(.noSuchPosition(position, count: 0)) }
            return nil
        }
        return await player.readiness(for: request.name, position: position).map(CommandReply.error)
    }

    private func validate(_ request: CommandRequest) throws(PlayerCommandError) {
        guard accepting.load(ordering: .relaxed) else { throw .shuttingDown }
        guard CommandCatalog.named(request.name) != nil else {
            throw .unknownCommand(request.name)
        }
        switch request.name {
        case "about": return
        case "uma":
            _ = try request.string("name")
            return
        default: break
        }
        guard request.guildID != nil else { throw .notInGuild }
        switch request.name {
        case "play":
            _ = try request.string("query")
            guard request.userVoiceChannelID != nil else { throw .notInVoiceChannel }
        case "volume":
            let percent = try request.integer("percent")
            guard GuildPlayer.volumeRange.contains(percent) else { throw .volumeOutOfRange(percent) }
        case "seek": _ = try TimeText.parse(try request.string("position"))
        case "loop":
            guard LoopMode(rawValue: try request.string("mode").lowercased()) != nil else {
                throw .missingOption("mode (off, track or queue)")
            }
        case "remove": _ = try request.integer("position")
        case "filter": _ = try Self.preset(request)
        case "crossfade":
            let seconds = try request.integer("seconds")
            guard GuildPlayer.crossfadeRange.contains(seconds) else { throw .crossfadeOutOfRange(seconds) }
        case "normalize": _ = try Self.normalizeSwitch(request)
        default: break
        }
    }
}
