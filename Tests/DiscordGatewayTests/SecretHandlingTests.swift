import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("Secrets: the token never reaches logs or errors")
struct SecretHandlingTests {
    @Test func traceLogsOfASessionWithFailuresNeverContainTheToken() async throws {
        let token = "Secret.Token-\(UUID().uuidString)"
        let log = CapturedLog()
        let sim = DiscordSim(
            configuration: {
                var c = DiscordSim.Configuration()
                c.token = token
                return c
            }())
        try await sim.start()
        var configuration = GatewayClient.Configuration(endpoints: DiscordEndpoints(apiBaseURL: sim.apiBaseURL))
        configuration.reconnectDelay = 0.05
        let client = GatewayClient(configuration: configuration, logger: log.logger("gateway"))
        try await client.connect(token: token)
        sim.killGateway()
        #expect(await sim.waitUntil(timeout: 8) { !$0.resumes.isEmpty })

        let rest = DiscordREST(
            configuration: .init(token: token, baseURL: sim.apiBaseURL, maxServerRetries: 1, maxBackoff: 0.05),
            logger: log.logger("rest"))
        let interaction = sim.sendInteraction(command: "play")
        sim.rateLimitStorm(requests: 2, retryAfter: 0.05)
        try await rest.createInteractionResponse(
            interactionID: Snowflake(interaction.id), token: interaction.token,
            .deferred(ephemeral: false))
        sim.failNextRequests(5)
        var errors: [String] = []
        do { _ = try await rest.getGatewayBot() } catch { errors.append(error.description) }

        let wrong = GatewayClient(configuration: configuration, logger: log.logger("gateway-wrong"))
        do { try await wrong.connect(token: token + "x") } catch { errors.append(error.description) }

        #expect(errors.count == 2)
        #expect(log.all.contains { $0.contains("rate limited") }, "the run did log, at trace level")
        let leaks = (log.all + errors).filter { $0.contains(token) || $0.contains(interaction.token) }
        #expect(leaks.isEmpty, "\(leaks)")
        await client.close()
        await sim.shutdown()
    }
}
