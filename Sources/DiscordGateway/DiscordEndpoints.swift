/// Base URLs for REST and the gateway, overridable so tests and `make run` point at the local
/// simulator (doc §7).
///
/// `CADENCE_DISCORD_API` replaces the REST base; `CADENCE_DISCORD_GATEWAY` the gateway URL
/// (otherwise it comes from GET /gateway/bot). `ws://` is accepted for loopback, `wss://` is TLS.
package struct DiscordEndpoints: Sendable, Equatable {
    package static let defaultAPIBaseURL = "https://discord.com/api/v10"

    package var apiBaseURL: String
    /// Nil: ask GET /gateway/bot.
    package var gatewayURL: String?

    package init(apiBaseURL: String = DiscordEndpoints.defaultAPIBaseURL, gatewayURL: String? = nil) {
        self.apiBaseURL = apiBaseURL
        self.gatewayURL = gatewayURL
    }

    /// Reads `CADENCE_DISCORD_API` and `CADENCE_DISCORD_GATEWAY` from `environment`.
    package init(environment: [String: String]) {
        let api = environment["CADENCE_DISCORD_API"].flatMap { $0.isEmpty ? nil : $0 }
        let gateway = environment["CADENCE_DISCORD_GATEWAY"].flatMap { $0.isEmpty ? nil : $0 }
        self.init(apiBaseURL: api ?? Self.defaultAPIBaseURL, gatewayURL: gateway)
    }
}
