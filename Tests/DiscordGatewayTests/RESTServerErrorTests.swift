import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("REST: server errors")
struct RESTServerErrorTests {
    @Test func serverErrorsAreRetriedWithBackoffUntilTheyPass() async throws {
        let harness = try await SimHarness()
        harness.sim.failNextRequests(3, status: 502)
        let info = try await harness.rest.getGatewayBot()
        #expect(info.shards == 1)
        #expect(harness.sim.report.restCalls.map(\.status) == [502, 502, 502, 200])
        await harness.stop()
    }

    @Test func serverErrorsBeyondTheRetryBudgetSurfaceAsOneTypedError() async throws {
        let harness = try await SimHarness()
        harness.sim.failNextRequests(10, status: 503)
        do {
            _ = try await harness.rest.getGatewayBot()
            Issue.record("expected a failure")
        } catch {
            #expect(error == .http(route: "GET /gateway/bot", status: 503, code: 0, message: "injected server error"))
            #expect(!error.description.contains("\n"))
            #expect(!error.description.contains(harness.sim.configuration.token))
        }
        #expect(harness.sim.report.restCalls.count == 1 + harness.rest.configuration.maxServerRetries)
        await harness.stop()
    }
}
