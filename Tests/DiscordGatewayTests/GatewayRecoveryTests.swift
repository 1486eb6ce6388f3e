import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("Gateway session: resumable invalid session and held voice updates")
struct GatewayRecoveryTests {
    @Test func resumableInvalidSessionResumes() async throws {
        let harness = try await SimHarness()
        let ready = try await harness.client.connect(token: "sim-token")
        harness.sim.invalidateSession(resumable: true)
        #expect(await harness.wait { harness.eventNames.contains("RESUMED") })
        #expect(harness.sim.report.identifies == 1)
        #expect(harness.sim.report.resumes.map(\.sessionID) == [ready.sessionID])
        #expect(harness.client.statistics.invalidSessions == 1)
        await harness.stop()
    }

    @Test func voiceUpdateSentWhileReconnectingGoesOutOnceAfterResume() async throws {
        let sim = DiscordSim()
        try await sim.start()
        var configuration = GatewayClient.Configuration(endpoints: DiscordEndpoints(apiBaseURL: sim.apiBaseURL))
        configuration.reconnectDelay = 0.6
        let client = GatewayClient(configuration: configuration)
        try await client.connect(token: sim.configuration.token)
        sim.killGateway()
        let deadline = ContinuousClock.now + .seconds(3)
        while client.isConnected, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(!client.isConnected)
        try client.updateVoiceState(guild: "900000000000000000", channel: "900000000000000020")
        #expect(sim.report.voiceStateCommands.isEmpty)
        #expect(await sim.waitUntil(timeout: 5) { !$0.voiceStateCommands.isEmpty })
        try await Task.sleep(for: .milliseconds(200))
        let report = sim.report
        #expect(report.voiceStateCommands.count == 1, "exactly one join")
        #expect(report.resumes.count == 1)
        #expect(report.identifies == 1)
        await client.close()
        await sim.shutdown()
    }

    @Test func clientCloseEndsTheSessionAndTheEventStream() async throws {
        let harness = try await SimHarness()
        try await harness.client.connect(token: "sim-token")
        await harness.client.close()
        #expect(await harness.wait { harness.streamFinished })
        #expect(harness.streamError == nil)
        #expect(await harness.sim.waitUntil(timeout: 2) { $0.clientCloseCodes == [1000] }, "closed with 1000: the session ends")
        #expect(throws: GatewayError.closed) {
            try harness.client.updateVoiceState(guild: "900000000000000000", channel: nil)
        }
        await harness.sim.shutdown()
    }
}

@Suite("Gateway sends: paced under the per-connection limit")
struct GatewaySendPacingTimingTests {
    @Test func burstOfVoiceUpdatesIsSpreadSoTheServerNeverCloses4008() async throws {
        let sim = DiscordSim(
            configuration: {
                var configuration = DiscordSim.Configuration()
                configuration.gatewaySendLimit = 12
                configuration.gatewaySendWindow = 2
                configuration.heartbeatIntervalMs = 5_000
                return configuration
            }())
        try await sim.start()
        var configuration = GatewayClient.Configuration(endpoints: DiscordEndpoints(apiBaseURL: sim.apiBaseURL))
        configuration.sendsPerMinute = 8
        configuration.sendWindow = 2
        let client = GatewayClient(configuration: configuration)
        try await client.connect(token: sim.configuration.token)
        let start = ContinuousClock.now
        for index in 0..<12 {
            try client.updateVoiceState(guild: "900000000000000000", channel: index % 2 == 0 ? "900000000000000020" : nil)
        }
        #expect(await sim.waitUntil(timeout: 8) { $0.voiceStateCommands.count == 12 })
        // Identify shares the budget of 8: the last 5 updates wait for the next window.
        #expect(ContinuousClock.now - start >= .seconds(1.8))
        #expect(sim.report.serverCloseCodes.isEmpty)
        #expect(sim.report.identifies == 1)
        await client.close()
        await sim.shutdown()
    }
}
