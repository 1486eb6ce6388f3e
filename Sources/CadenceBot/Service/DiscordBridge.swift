import DiscordGateway

/// Conversions between the router's plain types and DiscordGateway's wire models.
enum DiscordBridge {
    static func request(from interaction: Interaction, roster: VoiceRoster) -> CommandRequest? {
        guard let name = interaction.commandName, let user = interaction.user else { return nil }
        var options: [String: CommandRequest.Value] = [:]
        for option in interaction.options {
            if let integer = option.integerValue {
                options[option.name] = .integer(Int(integer))
            } else if let text = option.stringValue {
                options[option.name] = .string(text)
            }
        }
        let channel = interaction.guildID.flatMap { roster.channel(of: user.id, in: $0) }
        return CommandRequest(
            name: name, options: options, userID: user.id.rawValue,
            guildID: interaction.guildID?.rawValue, userVoiceChannelID: channel?.rawValue)
    }

    static func message(from reply: CommandReply) -> MessagePayload {
        MessagePayload(content: reply.content, embeds: reply.embed.map { [embed(from: $0)] }, ephemeral: reply.ephemeral)
    }

    static func embed(from embed: ReplyEmbed) -> Embed {
        var result = Embed(title: embed.title, description: embed.description, url: embed.url, color: embed.color)
        result.image = embed.imageURL.map { Embed.Image(url: $0) }
        result.fields = embed.fields.isEmpty ? nil : embed.fields.map { Embed.Field(name: $0.name, value: $0.value, inline: $0.inline) }
        return result
    }
}
