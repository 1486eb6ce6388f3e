import AudioEngine
import CadenceTestSupport
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

/// A client that offers DAVE still streams when the server chooses protocol version 0.
@Suite struct VoiceDAVEFallbackTests {
    @Test func aDAVEOfferingClientStreamsPlainOpusWhenTheServerPicksVersionZero() async throws {
        var configuration = VoiceServerSim.Configuration()
        configuration.daveProtocolVersion = 0
        let harness = try await VoiceHarness(server: configuration)
        try await harness.connect()
        let tone = try await VoiceFixtures.tone(seconds: 1)
        let end = try await harness.playToEnd(tone.path)
        #expect(end == .finished(source: tone.path, reason: .endOfTrack))
        _ = await harness.server.waitUntil(timeout: 2) { $0.streams.first?.silenceFrames == 5 }
        let report = harness.server.report()
        let status = harness.connection.e2eeStatus
        let statistics = harness.connection.sender.statistics
        await harness.shutdown()

        #expect(report.gateway.maxDAVEVersions == [1])
        #expect(report.gateway.negotiatedDAVEVersions == [0])
        #expect(status.protocolVersion == 0 && !status.isActive && status.privacyCode == nil)
        #expect(statistics.e2eeFrames == 0 && statistics.e2eeFailures == 0)
        let stream = try #require(report.streams.first)
        #expect(abs(stream.audioFrames - 50) <= 2)
        #expect(stream.decryptFailures == 0 && stream.decodeErrors == 0)
    }
}
