import Foundation
import Yams

extension NodeConfiguration {
    /// Reads `file` (an `application.yml`, optional) and then the environment, which wins, the
    /// way Spring does: `SERVER_PORT`, `LAVALINK_SERVER_PASSWORD`,
    /// `LAVALINK_SERVER_SOURCES_HTTP`, `LAVALINK_SERVER_PLAYERUPDATEINTERVAL` (underscores inside
    /// a camel-case name may be left out or kept).
    public static func load(file: String?, environment: [String: String]) throws(NodeConfigurationError) -> NodeConfiguration {
        var values: [String: String] = [:]
        if let file {
            let text: String
            do { text = try String(contentsOfFile: file, encoding: .utf8) } catch {
                throw .unreadable(path: file, message: error.localizedDescription)
            }
            do {
                if let document = try Yams.load(yaml: text) { flatten(document, prefix: "", into: &values) }
            } catch {
                throw .unreadable(path: file, message: "\(error)")
            }
        }
        for (name, value) in environment {
            if let key = knownKey(forEnvironment: name) { values[key] = value }
        }
        var configuration = NodeConfiguration()
        try configuration.apply(values)
        configuration.databasePath = environment["CADENCE_DB"].flatMap { $0.isEmpty ? nil : $0 }
        configuration.allowPrivateNetwork = environment["CADENCE_ALLOW_PRIVATE_NETWORK"] == "1"
        return configuration
    }

    /// Every key this node reads, in its canonical `application.yml` spelling.
    static var knownKeys: [String] {
        [
            "server.port", "server.address", "lavalink.server.password", "lavalink.server.playerUpdateInterval",
            "lavalink.server.trackStuckThresholdMs", "lavalink.server.bufferDurationMs",
            "metrics.prometheus.enabled", "metrics.prometheus.endpoint"
        ]
            + defaultSources.keys.sorted().map { "lavalink.server.sources.\($0)" }
            + filterNames.map { "lavalink.server.filters.\($0)" }
    }

    static func knownKey(forEnvironment name: String) -> String? {
        let squashed = name.uppercased().replacingOccurrences(of: "_", with: "")
        return knownKeys.first { $0.uppercased().replacingOccurrences(of: ".", with: "") == squashed }
    }

    private static func flatten(_ node: Any, prefix: String, into values: inout [String: String]) {
        if let map = node as? [AnyHashable: Any] {
            for (key, value) in map { flatten(value, prefix: prefix.isEmpty ? "\(key)" : "\(prefix).\(key)", into: &values) }
        } else if let known = knownKeys.first(where: { $0.lowercased() == prefix.lowercased() }) {
            values[known] = "\(node)"
        }
    }

    private mutating func apply(_ values: [String: String]) throws(NodeConfigurationError) {
        func int(_ key: String) throws(NodeConfigurationError) -> Int? {
            guard let text = values[key] else { return nil }
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else { throw .invalid(key: key, value: text) }
            return value
        }
        func bool(_ key: String) throws(NodeConfigurationError) -> Bool? {
            guard let text = values[key]?.lowercased() else { return nil }
            switch text {
            case "true", "1", "yes", "on": return true
            case "false", "0", "no", "off": return false
            default: throw .invalid(key: key, value: text)
            }
        }
        if let value = try int("server.port") { port = value }
        if let value = values["server.address"], !value.isEmpty { address = value }
        if let value = values["lavalink.server.password"] { password = value }
        if let value = try int("lavalink.server.playerUpdateInterval") { playerUpdateInterval = value }
        if let value = try int("lavalink.server.trackStuckThresholdMs") { trackStuckThresholdMs = value }
        if let value = try int("lavalink.server.bufferDurationMs") { bufferDurationMs = value }
        if let value = try bool("metrics.prometheus.enabled") { prometheusEnabled = value }
        if let value = values["metrics.prometheus.endpoint"] {
            guard value.hasPrefix("/"), value.count > 1 else { throw .invalid(key: "metrics.prometheus.endpoint", value: value) }
            prometheusEndpoint = value
        }
        for name in Self.defaultSources.keys {
            if let value = try bool("lavalink.server.sources.\(name)") { sources[name] = value }
        }
        for name in Self.filterNames {
            if let value = try bool("lavalink.server.filters.\(name)") { filters[name] = value }
        }
    }
}
