extension CommandRouter {
    /// `/filter <preset>`: one of the `FilterPreset`s for the guild, heard at once.
    func filter(_ request: CommandRequest, player: GuildPlayer) async throws(PlayerCommandError) -> CommandReply {
        let preset = try Self.preset(request)
        await player.setFilter(preset)
        return CommandReply(preset == .off ? "🎛 Filters off." : "🎛 Filter: \(preset.summary).")
    }

    static func preset(_ request: CommandRequest) throws(PlayerCommandError) -> FilterPreset {
        guard let preset = FilterPreset(rawValue: try request.string("preset").lowercased()) else {
            throw .missingOption("preset (\(FilterPreset.allCases.map(\.rawValue).joined(separator: ", ")))")
        }
        return preset
    }
}
