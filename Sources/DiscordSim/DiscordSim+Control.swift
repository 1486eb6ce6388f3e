import Foundation

/// What tests do to the simulator: inject events, misbehave, read results.
extension DiscordSim {
    /// An option of an injected interaction.
    package struct Option: Sendable {
        /// The option's typed value; it picks the option type (3, 4, 10, 5).
        package enum Value: Sendable { case string(String), integer(Int), number(Double), boolean(Bool) }
        package var name: String
        package var value: Value
        package var focused: Bool

        package init(_ name: String, _ value: Value, focused: Bool = false) {
            self.name = name
            self.value = value
            self.focused = focused
        }

        var json: [String: Any] {
            var object: [String: Any] = ["name": name]
            switch value {
            case let .string(text):
                object["type"] = 3
                object["value"] = text
            case let .integer(number):
                object["type"] = 4
                object["value"] = number
            case let .number(number):
                object["type"] = 10
                object["value"] = number
            case let .boolean(flag):
                object["type"] = 5
                object["value"] = flag
            }
            if focused { object["focused"] = true }
            return object
        }
    }

    /// Sends INTERACTION_CREATE for `/command` to every live session and starts its 3 s deadline.
    /// `autocomplete` makes it type 4. Returns the interaction's id and token.
    @discardableResult
    package func sendInteraction(
        command: String, options: [Option] = [], userID: String = "800000000000000001",
        guildID: String? = nil, channelID: String? = nil,
        autocomplete: Bool = false
    ) -> (id: String, token: String) {
        let guild = guildID ?? configuration.guilds.first?.id ?? "900000000000000000"
        let id = nextID("1300000000000000")
        let token = "interaction-token-\(id)"
        state.withLock { $0.interactions[id] = Interaction(token: token, createdAt: .now) }
        let data: [String: Any] = [
            "id": id, "application_id": configuration.applicationID, "type": autocomplete ? 4 : 2, "token": token,
            "version": 1, "guild_id": guild, "channel_id": channelID ?? "\(guild)1", "locale": "en-US",
            "member": [
                "user": ["id": userID, "username": "user\(userID.suffix(3))"], "roles": [String](),
                "permissions": "0", "deaf": false, "mute": false
            ],
            "data": ["id": "1200000000000000000", "name": command, "type": 1, "options": options.map(\.json)]
        ]
        dispatch("INTERACTION_CREATE", data)
        return (id, token)
    }

    /// Sends any dispatch to every live session; `json` is the `d` object as JSON text.
    package func dispatch(_ name: String, json: String) {
        let data = (try? JSONSerialization.jsonObject(with: Data(json.utf8))) ?? NSNull()
        dispatch(name, data)
    }

    /// Sends VOICE_SERVER_UPDATE (a nil endpoint: the voice server went away).
    package func sendVoiceServerUpdate(guildID: String, endpoint: String?, token: String = "voice-token-manual") {
        dispatch("VOICE_SERVER_UPDATE", ["guild_id": guildID, "token": token, "endpoint": endpoint as Any? ?? NSNull()])
    }

    /// Moves the bot to `channelID` as a moderator would: VOICE_STATE_UPDATE with the new
    /// channel and the same voice session, then VOICE_SERVER_UPDATE with a new token.
    package func moveBot(guildID: String, toChannel channelID: String) {
        let session = state.withLock { $0.voiceSessions[guildID] } ?? nextID("bot-voice-session-")
        let endpoint = state.withLock { $0.voiceEndpointOverride } ?? configuration.voiceEndpoint
        sendVoiceStateUpdate(guildID: guildID, userID: configuration.botUserID, channelID: channelID, sessionID: session)
        sendVoiceServerUpdate(guildID: guildID, endpoint: endpoint, token: nextID("voice-token-"))
    }

    /// Sends a VOICE_STATE_UPDATE for `userID` (nil channel: left voice).
    package func sendVoiceStateUpdate(guildID: String, userID: String, channelID: String?, sessionID: String = "user-voice-x") {
        if userID == configuration.botUserID { configuration.voiceStateObserver?(guildID, userID, channelID) }
        dispatch(
            "VOICE_STATE_UPDATE",
            [
                "guild_id": guildID, "user_id": userID, "channel_id": channelID as Any? ?? NSNull(),
                "session_id": sessionID, "deaf": false, "mute": false, "self_deaf": false,
                "self_mute": false, "suppress": false
            ])
    }

    private func dispatch(_ name: String, _ data: Any) {
        let sessions = state.withLock { state in state.sessions.values.filter(\.valid).map(\.id) }
        for session in sessions.sorted() { dispatch(name, data, session: session) }
    }

    /// Drops every gateway socket without a close frame (the client sees a bare TCP drop).
    /// Sessions stay resumable; dispatches sent meanwhile are buffered for replay.
    package func killGateway() {
        for channel in state.withLock({ $0.connections.values.map(\.channel) }) { channel.close(promise: nil) }
    }

    /// Closes every gateway socket with `code`.
    package func closeGateway(code: Int) {
        for id in state.withLock({ Array($0.connections.keys) }) { closeGateway(id: id, code: code) }
    }

    /// Sends op 7 RECONNECT on every socket.
    package func requestReconnect() {
        for id in state.withLock({ Array($0.connections.keys) }) { sendRaw(["op": 7, "d": NSNull()], to: id) }
    }

    /// Sends op 9 on every socket; `resumable: false` also forgets the sessions.
    package func invalidateSession(resumable: Bool) {
        let ids = state.withLock { state in
            if !resumable { for key in state.sessions.keys { state.sessions[key]?.valid = false } }
            return Array(state.connections.keys)
        }
        for id in ids { sendRaw(["op": 9, "d": resumable], to: id) }
    }

    /// Answers the next op 6 with op 9 carrying `resumable`.
    package func answerNextResumeWithInvalidSession(resumable: Bool) {
        state.withLock { $0.answerResumeWithInvalidSession = resumable }
    }

    /// Stops (or restarts) ACKing heartbeats, for the zombie-connection test.
    package func setHeartbeatAcks(_ enabled: Bool) { state.withLock { $0.ackHeartbeats = enabled } }

    /// Answers the next `requests` REST calls with 429 and `retry_after` seconds (global: the
    /// global limit, `X-RateLimit-Global: true`).
    package func rateLimitStorm(requests: Int, retryAfter: Double, global: Bool = false) {
        state.withLock { $0.storm = requests > 0 ? (requests, retryAfter, global) : nil }
    }

    /// Answers the next `requests` REST calls with `status` (a 5xx), for the retry path.
    package func failNextRequests(_ requests: Int, status: Int = 502) {
        state.withLock { $0.serverErrors = requests > 0 ? (requests, status) : nil }
    }

    /// Changes the endpoint later op 4 answers carry (nil: a null endpoint), e.g. once a
    /// VoiceServerSim started, or to simulate a voice server going away.
    package func setVoiceEndpoint(_ endpoint: String?) {
        state.withLock { $0.voiceEndpointOverride = .some(endpoint) }
    }

    /// Number of gateway sockets open now.
    package var openGatewayConnections: Int { state.withLock { $0.connections.count } }

    /// The last sequence number sent on the newest live session.
    package var lastSequence: Int { state.withLock { $0.sessions.values.filter(\.valid).map(\.seq).max() ?? 0 } }
}
