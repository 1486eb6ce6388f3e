import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("REST: a refused token")
struct RESTUnauthorizedTests {
    @Test func after401TheTokenIsNotUsedAgain() async throws {
        let harness = try await SimHarness()
        let rest = DiscordREST(configuration: .init(token: "wrong", baseURL: harness.sim.apiBaseURL))
        await #expect(throws: DiscordRESTError.unauthorized(route: "GET /gateway/bot")) { try await rest.getGatewayBot() }
        await #expect(throws: DiscordRESTError.unauthorized(route: "PUT /applications/{app_id}/commands")) {
            try await rest.bulkOverwriteCommands(applicationID: "1", [])
        }
        #expect(harness.sim.report.restCalls.count == 1, "the second call never reached Discord")
        #expect(DiscordRESTError.unauthorized(route: "GET /gateway/bot").description.contains("the token is invalid"))
        await harness.stop()
    }
}
