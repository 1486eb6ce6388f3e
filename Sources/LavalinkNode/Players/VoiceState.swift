/// The `voice` object of a player: what the client forwards from Discord's voice events.
/// Before any voice update every field is `""` and `channelId` is null, as Lavalink shows it.
package struct VoiceState: Sendable, Equatable {
    package var token = ""
    package var endpoint = ""
    package var sessionId = ""
    package var channelId: String?

    package init() {}

    package init(token: String, endpoint: String, sessionId: String, channelId: String?) {
        self.token = token
        self.endpoint = endpoint
        self.sessionId = sessionId
        self.channelId = channelId
    }

    /// Reads a PATCH `voice` object: all four keys must be present and non-blank (DAVE needs `channelId`).
    package init(patch value: JSONValue) throws(NodeHTTPError) {
        let reader = try FieldReader(value, context: "voice")
        let token = try reader.string("token").value ?? ""
        let endpoint = try reader.string("endpoint").value ?? ""
        let sessionId = try reader.string("sessionId").value ?? ""
        let channelId = try reader.string("channelId").value ?? ""
        let fields = [token, endpoint, sessionId, channelId]
        guard fields.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw .badRequest("token, endpoint, sessionId and channelId must be provided in voice state")
        }
        self.init(token: token, endpoint: endpoint, sessionId: sessionId, channelId: channelId)
    }

    package var json: JSONValue {
        ["token": .string(token), "endpoint": .string(endpoint), "sessionId": .string(sessionId), "channelId": .optional(channelId)]
    }
}
