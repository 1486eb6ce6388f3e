import Foundation

/// Settings of `cadence node`: the `application.yml` keys of Lavalink that apply here, with
/// Lavalink's defaults. Read them with `NodeConfiguration.load(file:environment:)`.
public struct NodeConfiguration: Sendable, Equatable {
    /// `server.address`; loopback unless set.
    public var address = "127.0.0.1"
    /// `server.port`; 0 picks a free port (tests).
    public var port = 2333
    /// `lavalink.server.password`; nil or empty means no check, allowed on loopback only.
    public var password: String?
    /// `lavalink.server.sources.*`: which source managers serve loads.
    public var sources: [String: Bool] = NodeConfiguration.defaultSources
    /// `lavalink.server.filters.*`: filters a client may set; all allowed unless turned off.
    public var filters: [String: Bool] = [:]
    /// `lavalink.server.playerUpdateInterval`, seconds.
    public var playerUpdateInterval = 5
    /// `lavalink.server.trackStuckThresholdMs`.
    public var trackStuckThresholdMs = 10_000
    /// `lavalink.server.bufferDurationMs`: audio buffered ahead of the sender (at least one second here).
    public var bufferDurationMs = 400
    /// `CADENCE_DB`: where resumable sessions are kept across restarts; nil keeps them in memory only.
    public var databasePath: String?
    /// `CADENCE_ALLOW_PRIVATE_NETWORK=1`: loopback and private hosts may be played (tests only).
    public var allowPrivateNetwork = false
    /// `metrics.prometheus.enabled`: serve Prometheus text, anonymously, as Lavalink does.
    public var prometheusEnabled = false
    /// `metrics.prometheus.endpoint`.
    public var prometheusEndpoint = "/metrics"
    /// Seconds between `stats` ops (Lavalink: 60).
    public var statsInterval = 60.0

    public static let defaultSources: [String: Bool] = [
        "youtube": true, "bandcamp": true, "soundcloud": true, "twitch": true, "vimeo": true, "nico": true,
        "http": true, "local": false
    ]

    /// Every filter Lavalink knows, in its `/v4/info` order.
    public static let filterNames = [
        "volume", "equalizer", "karaoke", "timescale", "tremolo", "vibrato", "distortion", "rotation", "channelMix",
        "lowPass"
    ]

    public init() {}

    package func sourceEnabled(_ name: String) -> Bool { sources[name] ?? false }
    package func filterEnabled(_ name: String) -> Bool { filters[name] ?? true }

    /// Whether `address` is a loopback address, where running without a password is allowed.
    public var bindsLoopback: Bool {
        ["127.0.0.1", "localhost", "::1", "[::1]"].contains(address) || address.hasPrefix("127.")
    }

    /// Refuses what Lavalink would let through but that exposes a node: no password off loopback.
    public func validate() throws(NodeConfigurationError) {
        if !bindsLoopback, (password ?? "").isEmpty {
            throw .noPassword(address: address)
        }
        guard (0...65535).contains(port) else { throw .invalid(key: "server.port", value: String(port)) }
        guard playerUpdateInterval >= 1 else {
            throw .invalid(key: "lavalink.server.playerUpdateInterval", value: String(playerUpdateInterval))
        }
        guard trackStuckThresholdMs >= 100 else {
            throw .invalid(key: "lavalink.server.trackStuckThresholdMs", value: String(trackStuckThresholdMs))
        }
    }
}

/// Why the node will not start with the settings given.
public enum NodeConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    case noPassword(address: String)
    case invalid(key: String, value: String)
    case unreadable(path: String, message: String)

    public var description: String {
        switch self {
        case let .noPassword(address):
            "refusing to listen on \(address) without a password: set lavalink.server.password (or LAVALINK_SERVER_PASSWORD)"
        case let .invalid(key, value): "invalid value for \(key): \(value)"
        case let .unreadable(path, message): "cannot read \(path): \(message)"
        }
    }
}
