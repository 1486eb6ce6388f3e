import Configuration
import Foundation
import Logging

extension BotConfiguration {
    /// The settings `cadence bot` reads, by configuration key. The environment provider maps
    /// each key to its variable (`cadence.discordAPI` → `CADENCE_DISCORD_API`); a JSON config
    /// file uses the same keys nested (`{"cadence": {"discordAPI": "…"}}`).
    enum Key: String, CaseIterable {
        case token = "discord.token"
        case discordAPI = "cadence.discordAPI"
        case discordGateway = "cadence.discordGateway"
        case database = "cadence.db"
        case allowPrivateNetwork = "cadence.allowPrivateNetwork"
        case healthPort = "cadence.healthPort"
        case logFormat = "cadence.logFormat"
        case logLevel = "cadence.logLevel"
        case guildID = "cadence.guildID"
        case umaAPI = "cadence.umaAPI"
        case shards = "cadence.shards"
        case gatewayCompress = "cadence.gatewayCompress"

        /// The environment variable a person sets, named in every problem line.
        var variable: String {
            switch self {
            case .token: "DISCORD_TOKEN"
            case .discordAPI: "CADENCE_DISCORD_API"
            case .discordGateway: "CADENCE_DISCORD_GATEWAY"
            case .database: "CADENCE_DB"
            case .allowPrivateNetwork: "CADENCE_ALLOW_PRIVATE_NETWORK"
            case .healthPort: "CADENCE_HEALTH_PORT"
            case .logFormat: "CADENCE_LOG_FORMAT"
            case .logLevel: "CADENCE_LOG_LEVEL"
            case .guildID: "CADENCE_GUILD_ID"
            case .umaAPI: "CADENCE_UMA_API"
            case .shards: "CADENCE_SHARDS"
            case .gatewayCompress: "CADENCE_GATEWAY_COMPRESS"
            }
        }
    }

    /// Reads environment variables over an optional JSON config file over defaults, and
    /// validates the result. The file comes from `configFile`, else `CADENCE_CONFIG`.
    ///
    /// - Throws: `BotConfigurationError` listing every problem, never just the first.
    package static func load(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String? = nil
    ) async throws(BotConfigurationError) -> BotConfiguration {
        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(
                environmentVariables: environment,
                secretsSpecifier: .specific(["DISCORD_TOKEN"]))
        ]
        let filePath = configFile ?? environment["CADENCE_CONFIG"].flatMap { $0.isEmpty ? nil : $0 }
        if let filePath {
            do {
                providers.append(try await fileProvider(path: filePath))
            } catch {
                throw BotConfigurationError(problems: [
                    .init(
                        setting: "CADENCE_CONFIG", message: "cannot read the config file \(filePath): \(error)")
                ])
            }
        }
        var reader = SettingsReader(config: ConfigReader(providers: providers))
        let configuration = reader.validate(defaultDatabase: defaultDatabasePath(environment: environment))
        guard let configuration, reader.problems.isEmpty else {
            throw BotConfigurationError(problems: reader.problems)
        }
        return configuration
    }

    /// `$STATE_DIRECTORY/cadence.sqlite` under systemd, else `./cadence.sqlite`.
    static func defaultDatabasePath(environment: [String: String]) -> String {
        if let state = environment["STATE_DIRECTORY"], !state.isEmpty {
            // systemd may pass several directories separated by colons; the first is ours.
            let first = state.split(separator: ":").first.map(String.init) ?? state
            return first + "/cadence.sqlite"
        }
        return "cadence.sqlite"
    }

    private static func fileProvider(path: String) async throws -> FileProvider<JSONSnapshot> {
        // The path goes through a reader so this module needs no direct swift-system import.
        let pathReader = ConfigReader(
            provider: InMemoryProvider(values: [
                "filePath": ConfigValue(.string(path), isSecret: false)
            ]))
        return try await FileProvider<JSONSnapshot>(config: pathReader)
    }
}
