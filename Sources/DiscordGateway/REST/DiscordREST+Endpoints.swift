import Foundation

/// The endpoints Cadence calls (doc §1.1, §3.2, §3.3).
extension DiscordREST {
    /// GET /gateway/bot: the gateway URL, recommended shards and the Identify budget.
    package func getGatewayBot() async throws(DiscordRESTError) -> GatewayBotInfo {
        try await sendJSON(.gatewayBot, Optional<Int>.none, as: GatewayBotInfo.self)
    }

    /// PUT the full command list, globally or for one guild (guild commands apply at once).
    /// Commands left out are deleted. Returns the commands with their ids.
    @discardableResult
    package func bulkOverwriteCommands(
        applicationID: Snowflake, guildID: Snowflake? = nil,
        _ commands: [ApplicationCommand]
    ) async throws(DiscordRESTError) -> [ApplicationCommand] {
        for command in commands { try command.validate() }
        return try await sendJSON(
            .bulkOverwriteCommands(applicationID: applicationID, guildID: guildID), commands,
            as: [ApplicationCommand].self)
    }

    /// The one callback an interaction gets: a reply, a deferral, or autocomplete choices.
    /// Must be sent within 3 s of the event.
    package func createInteractionResponse(
        interactionID: Snowflake, token: String,
        _ response: InteractionResponse
    ) async throws(DiscordRESTError) {
        let body: CallbackBody
        switch response {
        case let .message(message):
            try message.validate()
            body = CallbackBody(type: response.type, data: .message(message))
        case let .deferred(ephemeral):
            body = CallbackBody(type: response.type, data: ephemeral ? .message(MessagePayload(ephemeral: true)) : nil)
        case let .autocomplete(choices):
            body = CallbackBody(type: response.type, data: .choices(Array(choices.prefix(25))))
        }
        let route = Route.interactionCallback(interactionID: interactionID, token: token)
        _ = try await send(route, body: try encode(body, route: route))
    }

    /// Answers `interaction` (see `createInteractionResponse(interactionID:token:_:)`).
    package func respond(to interaction: Interaction, _ response: InteractionResponse) async throws(DiscordRESTError) {
        try await createInteractionResponse(interactionID: interaction.id, token: interaction.token, response)
    }

    /// PATCH @original: completes a deferred reply or changes the reply.
    @discardableResult
    package func editOriginalResponse(
        applicationID: Snowflake, token: String,
        _ message: MessagePayload
    ) async throws(DiscordRESTError) -> Message {
        try message.validate()
        return try await sendJSON(.editOriginal(applicationID: applicationID, token: token), message, as: Message.self)
    }

    /// DELETE @original: removes the reply (a deferred "thinking…" one included). Discord answers 204.
    package func deleteOriginalResponse(applicationID: Snowflake, token: String) async throws(DiscordRESTError) {
        _ = try await send(.deleteOriginal(applicationID: applicationID, token: token), body: nil)
    }

    /// POST a followup message (ephemeral with `flags: 64`).
    @discardableResult
    package func createFollowup(
        applicationID: Snowflake, token: String,
        _ message: MessagePayload
    ) async throws(DiscordRESTError) -> Message {
        try message.validate()
        return try await sendJSON(.followup(applicationID: applicationID, token: token), message, as: Message.self)
    }
}

/// `{"type": n, "data": …}` of an interaction callback.
struct CallbackBody: Encodable {
    enum Payload: Encodable {
        case message(MessagePayload)
        case choices([AutocompleteChoice])

        func encode(to encoder: any Encoder) throws {
            switch self {
            case let .message(message): try message.encode(to: encoder)
            case let .choices(choices):
                var container = encoder.container(keyedBy: ChoiceKeys.self)
                try container.encode(choices, forKey: .choices)
            }
        }

        enum ChoiceKeys: String, CodingKey { case choices }
    }

    var type: Int
    var data: Payload?
}
