/// Base URLs for REST and the gateway, overridable so tests and `make run` point at the local
/// simulator (doc §7).
///
/// `CADENCE_DISCORD_API` replaces the REST base; `CADENCE_DISCORD_GATEWAY` the gateway URL
/// (otherwise it comes from GET /gateway/bot). `ws://` is accepted for loopback, `wss://` is TLS.
public struct DiscordEndpoints: Sendable, Equatable {
    public static let defaultAPIBaseURL = "https://discord.com/api/v10"

    public var apiBaseURL: String
    /// Nil: ask GET /gateway/bot.
    public var gatewayURL: String?

    public init(apiBaseURL: String = DiscordEndpoints.defaultAPIBaseURL, gatewayURL: String? = nil) {
        self.apiBaseURL = apiBaseURL
        self.gatewayURL = gatewayURL
    }

    /// Reads `CADENCE_DISCORD_API` and `CADENCE_DISCORD_GATEWAY` from `environment`.
    public init(environment: [String: String]) {
        let api = environment["CADENCE_DISCORD_API"].flatMap { $0.isEmpty ? nil : $0 }
        let gateway = environment["CADENCE_DISCORD_GATEWAY"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(apiBaseURL: api ?? Self.defaultAPIBaseURL, gatewayURL: gateway)
    }
}
