import AudioEngine
import CadenceTestSupport
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

@Suite struct VoiceStreamSmokeTests {
    @Test func aShortToneReachesTheLocalServerIntactAndInTune() async throws {
        let harness = try await VoiceHarness()
        try await harness.connect()
        let tone = try await VoiceFixtures.tone(seconds: 2)
        let end = try await harness.playToEnd(tone.path)
        #expect(end == .finished(source: tone.path, reason: .endOfTrack))
        _ = await harness.server.waitUntil(timeout: 2) {
            $0.streams.first?.silenceFrames == 5 && $0.gateway.speaking.last?.flags == 0 && $0.gateway.speaking.count >= 3
        }
        let report = harness.server.report()
        await harness.shutdown()
        let stream = try #require(report.streams.first)
        print(report.summary)
        #expect(report.streams.count == 1)
        #expect(abs(stream.audioFrames - 100) <= 2)
        #expect(stream.silenceFrames == 5)
        #expect(stream.decryptFailures == 0)
        #expect(stream.sequenceGaps == 0)
        #expect(stream.duplicates == 0)
        #expect(stream.packetsBeforeSpeaking == 0)
        let pitch = try #require(ToneAnalysis.frequency(Array(stream.leftChannel.dropFirst(4800)), sampleRate: 48_000))
        #expect(abs(pitch - 440) < 2)
        #expect(report.gateway.speaking.map(\.flags).suffix(2) == [1, 0])
    }
}
