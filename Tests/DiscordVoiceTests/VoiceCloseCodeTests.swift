import CadenceTestSupport
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

/// One test per row of the close-code table (voice doc §1.5): the server closes with the
/// code and the client does what the table says.
@Suite struct VoiceCloseCodeTests {
    static func connected(updateTimeout: Double = 0.6) async throws -> VoiceHarness {
        var options = VoiceConnection.Options()
        options.serverUpdateTimeout = updateTimeout
        let harness = try await VoiceHarness(options: options)
        try await harness.connect()
        // The first handshake's own event; each test then watches what follows its close.
        _ = await events(of: harness) { if case .connected = $0 { true } else { false } }
        return harness
    }

    /// Events up to and including the first one `stop` accepts (or until `timeout`).
    static func events(
        of harness: VoiceHarness, timeout: Double = 5,
        until stop: @escaping @Sendable (VoiceConnectionEvent) -> Bool
    ) async -> [VoiceConnectionEvent] {
        let stream = harness.connection.events
        return await withTaskGroup(of: [VoiceConnectionEvent]?.self) { group in
            group.addTask {
                var seen: [VoiceConnectionEvent] = []
                for await event in stream {
                    seen.append(event)
                    if stop(event) { break }
                }
                return seen
            }
            group.addTask {
                try? await Task.sleep(for: .seconds(timeout))
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
    }

    @Test(arguments: [4015, 4013, 1001, 1011])
    func networkAndServerCrashClosesResume(code: Int) async throws {
        let harness = try await Self.connected()
        harness.server.close(code: code)
        let seen = await Self.events(of: harness) { if case .resumed = $0 { true } else { false } }
        let report = harness.server.report(includeAudio: false)
        await harness.shutdown()
        #expect(seen.contains(.disconnected(code: code, reason: "closed(code: \(code))", action: .resume)))
        #expect(report.gateway.resumes == 1 && report.gateway.identifies == 1)
    }

    @Test(arguments: [4006, 4009])
    func invalidSessionAndTimeoutReidentify(code: Int) async throws {
        let harness = try await Self.connected()
        harness.server.close(code: code)
        let seen = await Self.events(of: harness) { if case .connected = $0 { true } else { false } }
        let report = harness.server.report(includeAudio: false)
        await harness.shutdown()
        #expect(seen.contains(.disconnected(code: code, reason: "closed(code: \(code))", action: .reidentify)))
        #expect(report.gateway.identifies == 2 && report.gateway.resumes == 0)
        #expect(harness.connection.sender.isReady == false)  // after shutdown
    }

    @Test(arguments: [4014, 4022])
    func kickedOrCallEndedWaitsForAServerUpdateAndFollowsIt(code: Int) async throws {
        let harness = try await Self.connected(updateTimeout: 5)
        let other = VoiceServerSim()
        try await other.start()
        harness.server.close(code: code)
        // Wait for the client to take the close in (on a busy machine that can take a while),
        // then give it time to prove it does not reconnect on its own.
        var seen = await Self.events(of: harness) { if case .disconnected = $0 { true } else { false } }
        try await Task.sleep(for: .milliseconds(400))
        let reconnectedEarly = harness.server.report(includeAudio: false).gateway.connections > 1
        harness.connection.serverUpdate(VoiceServer(endpoint: other.endpoint, token: "after-\(code)"))
        seen += await Self.events(of: harness) { if case .connected = $0 { true } else { false } }
        let identifiedThere = other.report(includeAudio: false).gateway.identifies
        await harness.shutdown()
        await other.shutdown()
        #expect(!reconnectedEarly)
        #expect(seen.contains(.disconnected(code: code, reason: "closed(code: \(code))", action: .waitForServerUpdate)))
        #expect(identifiedThere == 1)
    }

    @Test(arguments: [4014, 4022])
    func kickedWithoutAServerUpdateStops(code: Int) async throws {
        let harness = try await Self.connected(updateTimeout: 0.5)
        harness.server.close(code: code)
        let seen = await Self.events(of: harness) { if case .stopped = $0 { true } else { false } }
        let report = harness.server.report(includeAudio: false)
        await harness.shutdown()
        #expect(seen.last.map { if case .stopped = $0 { true } else { false } } == true)
        #expect(report.gateway.connections == 1)
    }

    @Test(arguments: [4021, 4017])
    func rateLimitedAndDAVERequiredGiveUp(code: Int) async throws {
        let harness = try await Self.connected()
        harness.server.close(code: code)
        let seen = await Self.events(of: harness) { if case .stopped = $0 { true } else { false } }
        try await Task.sleep(for: .milliseconds(300))
        let report = harness.server.report(includeAudio: false)
        await harness.shutdown()
        #expect(seen.contains(.disconnected(code: code, reason: "closed(code: \(code))", action: .stop)))
        #expect(report.gateway.connections == 1)
        #expect(harness.connection.stopReason == .closed(code: code, action: "not reconnecting"))
    }

    @Test(arguments: [4004, 4011])
    func badTokenAndServerNotFoundAskForAFreshJoin(code: Int) async throws {
        let harness = try await Self.connected(updateTimeout: 5)
        harness.server.close(code: code)
        let asked = await Self.events(of: harness) { $0 == .rejoinRequested }
        harness.connection.serverUpdate(VoiceServer(endpoint: harness.server.endpoint, token: "fresh"))
        let seen = await Self.events(of: harness) { if case .connected = $0 { true } else { false } }
        let report = harness.server.report(includeAudio: false)
        await harness.shutdown()
        #expect(asked.contains(.disconnected(code: code, reason: "closed(code: \(code))", action: .rejoin)))
        #expect(asked.last == .rejoinRequested)
        #expect(seen.last.map { if case .connected = $0 { true } else { false } } == true)
        #expect(report.gateway.identifies == 2)
    }

    @Test(arguments: [4001, 4002, 4003, 4005, 4012, 4016, 4020])
    func clientBugCodesReconnectFreshOnlyOnce(code: Int) async throws {
        let harness = try await Self.connected()
        harness.server.close(code: code)
        _ = await Self.events(of: harness) { if case .connected = $0 { true } else { false } }
        harness.server.close(code: code)
        let second = await Self.events(of: harness) { if case .stopped = $0 { true } else { false } }
        let report = harness.server.report(includeAudio: false)
        await harness.shutdown()
        #expect(report.gateway.identifies == 2)
        #expect(second.contains(.disconnected(code: code, reason: "closed(code: \(code))", action: .stop)))
    }
}
