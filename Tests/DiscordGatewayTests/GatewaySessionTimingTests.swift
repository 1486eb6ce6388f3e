import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("Gateway session: identify, resume, fatal closes")
struct GatewaySessionTimingTests {
    @Test func identifyGetsReadyAndTheGuildWithItsVoiceStates() async throws {
        let harness = try await SimHarness()
        let ready = try await harness.client.connect(token: "sim-token")
        #expect(ready.user.id == Snowflake(harness.sim.configuration.botUserID))
        #expect(ready.applicationID == Snowflake(harness.sim.configuration.applicationID))
        #expect(ready.resumeGatewayURL == harness.sim.resumeGatewayURL)
        #expect(await harness.wait { harness.eventNames.contains("GUILD_CREATE") })
        guard case let .guildCreate(guild) = harness.events.first(where: { $0.name == "GUILD_CREATE" }) else {
            Issue.record("no GUILD_CREATE")
            return
        }
        let simGuild = harness.sim.configuration.guilds[0]
        #expect(guild.voiceStates.map(\.userID) == simGuild.voiceStates.map { Snowflake($0.userID) })
        #expect(guild.voiceStates.allSatisfy { $0.guildID == guild.id })
        #expect(guild.channels.filter(\.isVoice).map(\.id) == simGuild.voiceChannels.map { Snowflake($0.id) })
        let report = harness.sim.report
        #expect(report.identifies == 1)
        #expect(report.identifyIntents == [GatewayIntents.musicBot.rawValue])
        #expect(report.identifyShards == [[0, 1]])
        #expect(report.restCalls.map(\.path) == ["/api/v10/gateway/bot"])
        #expect(report.violations.isEmpty, "\(report.violations)")
        await harness.stop()
    }

    @Test func heartbeatsStartWithinTheFirstIntervalAndCarryTheLastSequence() async throws {
        // A 3 s interval with 1 s of slack: the timing pass streams 60 s tracks beside this test,
        // and a loaded machine delays a beat by a few hundred ms.
        let harness = try await SimHarness { $0.heartbeatIntervalMs = 3000 }
        try await harness.client.connect(token: "sim-token")
        #expect(await harness.sim.waitUntil(timeout: 10) { $0.heartbeats >= 2 })
        let report = harness.sim.report
        let first = try #require(report.firstHeartbeatDelaysMs.first)
        // The jittered first beat falls inside the first interval (plus scheduling slack on a busy machine).
        #expect(first <= 3000 + 1000, "first beat after \(first) ms, interval 3000 ms")
        #expect(report.heartbeatSeqMismatches == 0)
        // READY and GUILD_CREATE were s = 1 and 2 and came before any beat was due.
        #expect(report.heartbeatSequences.last == .some(harness.sim.lastSequence))
        await harness.stop()
    }

    @Test func killedGatewayResumesTheSameSessionWithoutASecondIdentify() async throws {
        let harness = try await SimHarness()
        let ready = try await harness.client.connect(token: "sim-token")
        #expect(await harness.wait { harness.eventNames.contains("GUILD_CREATE") })
        let seqBefore = harness.sim.lastSequence
        harness.sim.killGateway()
        // Sent while the socket is down: must be replayed on resume, in order, exactly once.
        harness.sim.sendInteraction(command: "play", options: [.init("query", .string("a"))])
        #expect(await harness.wait { harness.eventNames.contains("RESUMED") })
        let report = harness.sim.report
        #expect(report.identifies == 1)
        #expect(report.resumes.count == 1)
        #expect(report.resumes.first?.sessionID == ready.sessionID)
        #expect(report.resumes.first?.seq == seqBefore)
        #expect(report.gatewayConnections == ["/", "/resume"])
        #expect(harness.eventNames.filter { $0 == "INTERACTION_CREATE" }.count == 1)
        #expect(harness.eventNames.suffix(2) == ["INTERACTION_CREATE", "RESUMED"])
        #expect(harness.client.sessionID == ready.sessionID)
        #expect(report.violations.isEmpty, "\(report.violations)")
        await harness.stop()
    }

    @Test func reconnectRequestResumesOnTheResumeURL() async throws {
        let harness = try await SimHarness()
        try await harness.client.connect(token: "sim-token")
        harness.sim.requestReconnect()
        #expect(await harness.wait { harness.eventNames.contains("RESUMED") })
        #expect(await harness.sim.waitUntil(timeout: 2) { $0.clientCloseCodes == [4000] }, "closed with 4000 to keep the session")
        #expect(harness.sim.report.identifies == 1)
        await harness.stop()
    }

    @Test func unresumableInvalidSessionReidentifiesOnTheBaseURLAfterADelay() async throws {
        let harness = try await SimHarness()
        let first = try await harness.client.connect(token: "sim-token")
        harness.sim.answerNextResumeWithInvalidSession(resumable: false)
        let start = ContinuousClock.now
        harness.sim.killGateway()
        #expect(await harness.wait(timeout: 6) { harness.eventNames.filter { $0 == "READY" }.count == 2 })
        let elapsed = ContinuousClock.now - start
        #expect(elapsed >= .seconds(1), "re-identified after \(elapsed), expected the 1 s minimum")
        let report = harness.sim.report
        #expect(report.identifies == 2)
        #expect(report.gatewayConnections == ["/", "/resume", "/"])
        #expect(harness.client.sessionID != first.sessionID)
        await harness.stop()
    }

    @Test func missingHeartbeatAcksCloseTheZombieAndResume() async throws {
        let harness = try await SimHarness { $0.heartbeatIntervalMs = 300 }
        try await harness.client.connect(token: "sim-token")
        harness.sim.setHeartbeatAcks(false)
        #expect(await harness.wait(timeout: 4) { harness.client.statistics.zombieReconnects >= 1 })
        harness.sim.setHeartbeatAcks(true)
        #expect(await harness.wait(timeout: 8) { harness.eventNames.contains("RESUMED") })
        #expect(harness.sim.report.clientCloseCodes.contains(4000))
        let report = harness.sim.report
        #expect(
            report.identifies == 1,
            "client closes \(report.clientCloseCodes), server closes \(report.serverCloseCodes), paths \(report.gatewayConnections), resumes \(report.resumes.count) refused \(report.resumeRejections), \(harness.client.statistics), events \(harness.eventNames)"
        )
        await harness.stop()
    }

    @Test func invalidTokenIsATypedErrorWithOneClearLine() async throws {
        let harness = try await SimHarness()
        var configuration = GatewayClient.Configuration(
            endpoints: DiscordEndpoints(
                apiBaseURL: harness.sim.apiBaseURL,
                gatewayURL: harness.sim.gatewayURL))
        configuration.reconnectDelay = 0.05
        let client = GatewayClient(configuration: configuration)
        await #expect(throws: GatewayError.invalidToken) { try await client.connect(token: "wrong") }
        let line = GatewayError.invalidToken.description
        #expect(line.contains("the token is invalid"))
        #expect(!line.contains("\n"))
        #expect(harness.sim.report.serverCloseCodes == [4004])
        #expect(harness.sim.report.gatewayConnections.count == 1, "no reconnect after a fatal close")
        await harness.stop()
    }

    @Test func invalidTokenOnGatewayBotIsTheSameError() async throws {
        let harness = try await SimHarness()
        await #expect(throws: GatewayError.invalidToken) { try await harness.client.connect(token: "wrong") }
        #expect(harness.sim.report.restCalls.map(\.status) == [401])
        await harness.stop()
    }

    @Test(arguments: [4007, 4009])
    func sessionEndingClosesReidentify(code: Int) async throws {
        let harness = try await SimHarness()
        try await harness.client.connect(token: "sim-token")
        harness.sim.closeGateway(code: code)
        #expect(await harness.wait { harness.eventNames.filter { $0 == "READY" }.count == 2 })
        #expect(harness.sim.report.resumes.isEmpty)
        await harness.stop()
    }

    @Test func disallowedIntentEndsTheEventStreamWithTheIntentError() async throws {
        let harness = try await SimHarness()
        try await harness.client.connect(token: "sim-token")
        harness.sim.closeGateway(code: 4014)
        #expect(await harness.wait { harness.streamFinished })
        let error = try #require(harness.streamError as? GatewayError)
        #expect(error == .disallowedIntents)
        #expect(error.description.contains("enable the intent"))
        await harness.stop()
    }
}
