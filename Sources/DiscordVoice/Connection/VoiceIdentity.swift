import Foundation

/// Who is connecting: the values the main gateway handed out (doc §1.1). The session id stays
/// for the life of the voice state; the token and endpoint change with each server update.
public struct VoiceIdentity: Sendable, Equatable {
    public var guildID: String
    public var userID: String
    public var sessionID: String
    /// The voice channel (VOICE_STATE_UPDATE `channel_id`): DAVE's MLS group id (doc §DAVE).
    /// Required whenever DAVE can be negotiated; `VoiceConnection.connect()` fails with
    /// `VoiceError.daveIdentity` rather than guess a group from another id.
    public var channelID: String?

    public init(guildID: String, userID: String, sessionID: String, channelID: String? = nil) {
        self.guildID = guildID
        self.userID = userID
        self.sessionID = sessionID
        self.channelID = channelID
    }
}

/// A VOICE_SERVER_UPDATE's payload: where to connect and with which token.
public struct VoiceServer: Sendable, Equatable {
    /// `host:port` as Discord sends it, or a full `ws://`/`wss://` URL (loopback tests).
    public var endpoint: String
    public var token: String

    public init(endpoint: String, token: String) {
        self.endpoint = endpoint
        self.token = token
    }

    /// The WebSocket URL with the mandatory `?v=8`.
    package func gatewayURL() throws(VoiceError) -> String {
        var base = endpoint.trimmingCharacters(in: .whitespaces)
        if !base.hasPrefix("ws://") && !base.hasPrefix("wss://") {
            guard !base.contains("://") else { throw .badEndpoint(endpoint) }
            base = "wss://" + base
        }
        if let query = base.firstIndex(of: "?") { base = String(base[..<query]) }
        while base.hasSuffix("/") { base.removeLast() }
        guard base.split(separator: "/").count >= 2 else { throw .badEndpoint(endpoint) }
        return base + "/?v=8"
    }
}
