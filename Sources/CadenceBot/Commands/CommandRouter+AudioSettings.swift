import Store

extension CommandRouter {
    /// `/filter <preset>`: one of the `FilterPreset`s for the guild, heard at once.
    func filter(_ request: CommandRequest, player: GuildPlayer) async throws(PlayerCommandError) -> CommandReply {
        let preset = try Self.preset(request)
        await player.setFilter(preset)
        return CommandReply(preset == .off ? "🎛 Filters off." : "🎛 Filter: \(preset.summary).")
    }

    /// `/crossfade <0–12>`: from the next boundary on; kept for the guild.
    func crossfade(_ request: CommandRequest, guildID: String, player: GuildPlayer) async throws(PlayerCommandError) -> CommandReply {
        let seconds = try request.integer("seconds")
        try await player.setCrossfade(seconds)
        await keepSettings(of: player, guildID: guildID)
        return CommandReply(seconds == 0 ? "🎚 Crossfade off: tracks follow each other gaplessly." : "🎚 Crossfade \(seconds) s.")
    }

    /// `/normalize <on|off>`: heard at once; kept for the guild.
    func normalize(_ request: CommandRequest, guildID: String, player: GuildPlayer) async throws(PlayerCommandError) -> CommandReply {
        let on = try Self.normalizeSwitch(request)
        await player.setNormalize(on)
        await keepSettings(of: player, guildID: guildID)
        return CommandReply(on ? "📏 Loudness normalised to −14 LUFS." : "📏 Normalisation off.")
    }

    static func preset(_ request: CommandRequest) throws(PlayerCommandError) -> FilterPreset {
        guard let preset = FilterPreset(rawValue: try request.string("preset").lowercased()) else {
            throw .missingOption("preset (\(FilterPreset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return preset
    }

    static func normalizeSwitch(_ request: CommandRequest) throws(PlayerCommandError) -> Bool {
        switch try request.string("mode").lowercased() {
        case "on": return true
        case "off": return false
        default: throw .missingOption("mode (on or off)")
        }
    }

    /// Gives a guild's player the settings kept in the store, the first time it is used. A
    /// store that cannot be read leaves the defaults: the command still runs.
    func restoreSettings(of player: GuildPlayer) async {
        guard let settings = dependencies.settings, await player.claimSettingsRestore() else { return }
        guard let record = try? await settings.settings(of: player.guildID) else { return }
        await player.restore(crossfadeSeconds: Int(record.crossfadeSeconds.rounded()), normalize: record.normalize)
    }

    /// Writes the guild's settings. A failed write costs the setting only its survival across
    /// a restart, which is no reason to refuse the command that already took effect.
    private func keepSettings(of player: GuildPlayer, guildID: String) async {
        guard let settings = dependencies.settings else { return }
        let record = GuildSettingsRecord(
            id: guildID, crossfadeSeconds: Double(await player.crossfadeSeconds),
            normalize: await player.normalizes)
        try? await settings.save(record)
    }
}
