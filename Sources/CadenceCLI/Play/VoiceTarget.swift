import ArgumentParser
import DiscordVoice
import Foundation

/// `cadence play --voice-endpoint …`: the values a main gateway would hand out, given by hand,
/// so a person can point Cadence at a real or a local voice server.
struct VoiceTarget: ParsableArguments {
    @Option(name: .customLong("voice-endpoint"), help: "Voice server: host:port (wss) or a ws:// / wss:// URL.")
    var endpoint: String?

    @Option(name: .customLong("guild-id"), help: "Guild (server_id) for Identify.")
    var guildID: String?

    @Option(
        name: .customLong("channel-id"),
        help: "Voice channel id from VOICE_STATE_UPDATE: DAVE's MLS group. Required unless --no-dave.")
    var channelID: String?

    @Flag(inversion: .prefixedNo, help: "Offer DAVE end-to-end encryption (Discord requires it since March 2026).")
    var dave = true

    @Option(name: .customLong("user-id"), help: "The bot's user id.")
    var userID: String?

    @Option(name: .customLong("session-id"), help: "session_id from VOICE_STATE_UPDATE.")
    var sessionID: String?

    @Option(help: "token from VOICE_SERVER_UPDATE.")
    var token: String?

    var isRequested: Bool { endpoint != nil }

    func validate() throws {
        guard let endpoint else { return }
        guard let _ = guildID, let _ = userID, let _ = sessionID, let _ = token else {
            throw ValidationError("--voice-endpoint needs --guild-id, --user-id, --session-id and --token")
        }
        if dave {
            // DAVE's group is the voice channel; no other id may stand in for it.
            guard let channelID else {
                throw ValidationError("--voice-endpoint needs --channel-id (DAVE's MLS group), or --no-dave")
            }
            guard UInt64(channelID) != nil, let userID, UInt64(userID) != nil else {
                throw ValidationError("with DAVE, --channel-id and --user-id must be Discord snowflakes (numbers)")
            }
        }
        do { _ = try VoiceServer(endpoint: endpoint, token: "").gatewayURL() } catch {
            throw ValidationError("--voice-endpoint: \(error)")
        }
    }

    /// Connects and returns the live connection; its `sender` is the player's sink.
    func connect() async throws -> VoiceConnection {
        var options = VoiceConnection.Options()
        options.maxDAVEProtocolVersion = dave ? 1 : 0
        let connection = VoiceConnection(
            identity: VoiceIdentity(
                guildID: guildID ?? "", userID: userID ?? "", sessionID: sessionID ?? "",
                channelID: channelID),
            server: VoiceServer(endpoint: endpoint ?? "", token: token ?? ""), options: options)
        let log = Task {
            for await event in connection.events {
                FileHandle.standardError.write(Data("voice: \(VoiceTarget.describe(event))\n".utf8))
            }
        }
        do {
            try await connection.connect()
        } catch {
            log.cancel()
            throw CommandFailure(message: "\(error)")
        }
        return connection
    }

    static func describe(_ event: VoiceConnectionEvent) -> String {
        switch event {
        case let .connected(endpoint, mode, ssrc): "connected to \(endpoint) (\(mode.rawValue), ssrc \(ssrc))"
        case let .resumed(endpoint, ms): "resumed on \(endpoint) after \(String(format: "%.0f", ms)) ms"
        case let .disconnected(code, reason, action):
            "disconnected (\(code.map(String.init) ?? reason)); \(action.rawValue)"
        case .rejoinRequested: "needs a fresh join (new token)"
        case let .stopped(error): "stopped: \(error)"
        }
    }
}
