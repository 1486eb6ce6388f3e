import Configuration
import Foundation
import Logging

/// Reads each setting as text (whatever the provider stored), checks it, and collects one
/// problem per bad setting instead of stopping at the first.
struct SettingsReader {
    typealias Key = BotConfiguration.Key
    let config: ConfigReader
    private(set) var problems: [BotConfigurationError.Problem] = []

    init(config: ConfigReader) { self.config = config }

    mutating func validate(defaultDatabase: String) -> BotConfiguration? {
        let token = readToken()
        let api = readURL(.discordAPI, schemes: ["http", "https"]) ?? BotConfiguration.defaultDiscordAPI
        let gateway = readURL(.discordGateway, schemes: ["ws", "wss"])
        let database = text(.database) ?? defaultDatabase
        if database.isEmpty { problem(.database, "must not be empty") }
        let allowPrivate = readBool(.allowPrivateNetwork) ?? false
        let port = readPort()
        let format = readEnum(.logFormat, BotConfiguration.LogFormat.self) ?? .auto
        let level = readEnum(.logLevel, Logger.Level.self) ?? .info
        let guildID = readSnowflake(.guildID)
        let uma = readURL(.umaAPI, schemes: ["http", "https"])?.absoluteString ?? BotConfiguration.defaultUMAAPI
        let shards = readShards()
        let compress = readBool(.gatewayCompress) ?? false
        guard let token, problems.isEmpty else { return nil }
        var configuration = BotConfiguration(
            token: token, discordAPI: api, discordGateway: gateway, databasePath: database,
            allowPrivateNetwork: allowPrivate, healthPort: port, logFormat: format, logLevel: level,
            guildID: guildID, umaAPI: uma)
        configuration.shardCount = shards
        configuration.gatewayCompression = compress
        return configuration
    }

    private mutating func problem(_ key: Key, _ message: String) {
        problems.append(.init(setting: key.variable, message: message))
    }

    /// The setting as text: strings as they are, numbers and booleans from a JSON file spelled out.
    private func text(_ key: Key) -> String? {
        let configKey = ConfigKey(stringLiteral: key.rawValue)
        let secret = key == .token
        if let value = config.string(forKey: configKey, isSecret: secret) {
            return value.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        if let value = config.int(forKey: configKey, isSecret: secret) { return String(value) }
        if let value = config.bool(forKey: configKey, isSecret: secret) { return String(value) }
        return nil
    }

    private mutating func readToken() -> Secret? {
        guard let raw = config.string(forKey: ConfigKey(stringLiteral: Key.token.rawValue), isSecret: true),
            !raw.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        else {
            problem(.token, "is not set; create a bot at https://discord.com/developers/applications and copy its token")
            return nil
        }
        let token = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        // The value is never echoed: only what is wrong with it.
        if token.hasPrefix("Bot ") {
            problem(.token, "give the token alone, without the \"Bot \" prefix")
            return nil
        }
        if token.contains(where: { $0.isWhitespace || !$0.isASCII || $0.asciiValue.map { $0 < 0x21 } ?? true }) {
            problem(.token, "contains spaces or non-ASCII characters (\(token.count) characters given)")
            return nil
        }
        return Secret(token)
    }

    private mutating func readURL(_ key: Key, schemes: Set<String>) -> URL? {
        guard let value = text(key), !value.isEmpty else { return nil }
        guard let url = URL(string: value), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            problem(key, "\"\(value)\" is not an absolute URL")
            return nil
        }
        guard schemes.contains(scheme) else {
            problem(key, "\"\(value)\" must use \(schemes.sorted().joined(separator: " or "))")
            return nil
        }
        return url
    }

    private mutating func readBool(_ key: Key) -> Bool? {
        guard let value = text(key), !value.isEmpty else { return nil }
        switch value.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default:
            problem(key, "\"\(value)\" is not a boolean (use 1 or 0)")
            return nil
        }
    }

    /// A shard count of 1 or more, or "auto"/unset for the count `/gateway/bot` recommends.
    private mutating func readShards() -> Int? {
        guard let value = text(.shards), !value.isEmpty, value.lowercased() != "auto" else { return nil }
        guard let count = Int(value), count >= 1 else {
            problem(.shards, "\"\(value)\" is not a shard count of 1 or more (or auto)")
            return nil
        }
        return count
    }

    private mutating func readPort() -> Int? {
        guard let value = text(.healthPort), !value.isEmpty, value != "off" else { return nil }
        guard let port = Int(value), (1...65535).contains(port) else {
            problem(.healthPort, "\"\(value)\" is not a port number 1–65535 (or off)")
            return nil
        }
        return port
    }

    private mutating func readEnum<Value: RawRepresentable & CaseIterable>(_ key: Key, _: Value.Type) -> Value?
    where Value.RawValue == String {
        guard let value = text(key), !value.isEmpty else { return nil }
        guard let parsed = Value(rawValue: value.lowercased()) else {
            problem(key, "\"\(value)\" is not one of \(Value.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return parsed
    }

    private mutating func readSnowflake(_ key: Key) -> String? {
        guard let value = text(key), !value.isEmpty else { return nil }
        guard value.count <= 20, value.allSatisfy(\.isASCII), UInt64(value) != nil else {
            problem(key, "\"\(value)\" is not a Discord id (digits only)")
            return nil
        }
        return value
    }
}
