import Foundation
import Logging

/// Everything `cadence bot` needs to run, already validated: a value of this type never holds a
/// bad URL, an out-of-range port or an empty token.
///
/// `description` redacts the token, so the whole value can be logged at start-up.
package struct BotConfiguration: Sendable, CustomStringConvertible {
    /// How log lines are written.
    package enum LogFormat: String, Sendable, CaseIterable {
        /// Human on a terminal, logfmt otherwise.
        case auto
        case human
        case logfmt
        case json
    }

    /// The bot token (`DISCORD_TOKEN`). Never printed.
    package var token: Secret
    /// REST base URL, `https://discord.com/api/v10` unless tests point it at the simulator.
    package var discordAPI: URL
    /// Gateway URL; nil asks `/gateway/bot`.
    package var discordGateway: URL?
    /// SQLite store path.
    package var databasePath: String
    /// Lets /play open loopback and private addresses (tests and local demos only).
    package var allowPrivateNetwork: Bool
    /// Loopback port of /healthz and /metrics; nil turns the endpoint off (the default).
    package var healthPort: Int?
    package var logFormat: LogFormat
    package var logLevel: Logger.Level
    /// Register commands in this guild only (instant updates while developing); nil registers globally.
    package var guildID: String?
    /// Base URL of the Uma Musume API.
    package var umaAPI: String
    /// Gateway shards (`CADENCE_SHARDS`); nil uses the count `/gateway/bot` recommends.
    package var shardCount: Int? = nil
    /// Ask for zlib-stream transport compression (`CADENCE_GATEWAY_COMPRESS=1`).
    package var gatewayCompression = false

    package init(
        token: Secret, discordAPI: URL = BotConfiguration.defaultDiscordAPI, discordGateway: URL? = nil,
        databasePath: String, allowPrivateNetwork: Bool = false, healthPort: Int? = nil,
        logFormat: LogFormat = .auto, logLevel: Logger.Level = .info, guildID: String? = nil,
        umaAPI: String = BotConfiguration.defaultUMAAPI
    ) {
        self.token = token
        self.discordAPI = discordAPI
        self.discordGateway = discordGateway
        self.databasePath = databasePath
        self.allowPrivateNetwork = allowPrivateNetwork
        self.healthPort = healthPort
        self.logFormat = logFormat
        self.logLevel = logLevel
        self.guildID = guildID
        self.umaAPI = umaAPI
    }

    package static let defaultDiscordAPI = URL(string: "https://discord.com/api/v10")!
    package static let defaultUMAAPI = "https://umapyoi.net/api/v1"

    package var description: String {
        var parts = [
            "token=\(token)", "api=\(discordAPI.absoluteString)",
            "gateway=\(discordGateway?.absoluteString ?? "(from /gateway/bot)")",
            "db=\(databasePath)", "allow_private_network=\(allowPrivateNetwork)",
            "health_port=\(healthPort.map(String.init) ?? "off")", "log_format=\(logFormat.rawValue)",
            "log_level=\(logLevel.rawValue)", "uma_api=\(umaAPI)"
        ]
        if let guildID { parts.append("guild_id=\(guildID)") }
        return parts.joined(separator: " ")
    }
}

/// A string that must never be printed: its description is a fixed placeholder, and the
/// value is only reachable through `revealed`, so a stray interpolation cannot leak it.
package struct Secret: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    package let revealed: String
    package init(_ value: String) { revealed = value }
    package var description: String { "<redacted>" }
    package var debugDescription: String { "<redacted>" }
}
