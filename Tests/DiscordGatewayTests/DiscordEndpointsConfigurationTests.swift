import DiscordGateway
import Testing

@Suite("Discord endpoints: configuration from the environment")
struct DiscordEndpointsConfigurationTests {
    @Test func defaultsToDiscordAndAsksGatewayBotForTheGateway() {
        let endpoints = DiscordEndpoints(environment: [:])
        #expect(endpoints.apiBaseURL == "https://discord.com/api/v10")
        #expect(endpoints.gatewayURL == nil)
    }

    @Test func environmentOverridesBoth() {
        let endpoints = DiscordEndpoints(environment: [
            "CADENCE_DISCORD_API": "http://127.0.0.1:9/api/v10",
            "CADENCE_DISCORD_GATEWAY": "ws://127.0.0.1:9/"
        ])
        #expect(endpoints == DiscordEndpoints(apiBaseURL: "http://127.0.0.1:9/api/v10", gatewayURL: "ws://127.0.0.1:9/"))
    }
}
