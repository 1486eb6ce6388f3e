import AudioEngine
import CadenceTestSupport
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

/// A 60 s track over loopback in real time, in both AEAD modes at once (two connections, two
/// servers), measured by the server: frames, pitch, integrity and arrival jitter.
@Suite(.serialized) struct VoiceStreamTimingTests {
    @Test func aSixtySecondTrackArrivesWholeInTuneAndOnTimeInBothModes() async throws {
        let tone = try await VoiceFixtures.tone(seconds: 60)
        var aesOnly = VoiceServerSim.Configuration()
        aesOnly.offeredModes = [EncryptionMode.aes256GCM.rawValue, EncryptionMode.xchacha20Poly1305.rawValue]
        var xchachaOnly = VoiceServerSim.Configuration()
        xchachaOnly.offeredModes = [EncryptionMode.xchacha20Poly1305.rawValue]
        let expectAES = EncryptionMode.choose(offered: aesOnly.offeredModes) == .aes256GCM

        // The kernel's own real-time wake-ups, sampled over the same minute as the streams.
        let kernel = Task { await TimerLatency.p99Milliseconds(wakeUps: 3_000) }
        let reports = try await withThrowingTaskGroup(of: VoiceServerReport.self) { group in
            for configuration in [aesOnly, xchachaOnly] {
                group.addTask {
                    let harness = try await VoiceHarness(server: configuration)
                    try await harness.connect()
                    let end = try await harness.playToEnd(tone.path, timeout: .seconds(90))
                    #expect(end == .finished(source: tone.path, reason: .endOfTrack))
                    _ = await harness.server.waitUntil(timeout: 2) { $0.streams.first?.silenceFrames == 5 }
                    let report = harness.server.report()
                    if let stats = harness.player.stats {
                        print(
                            "pacer side: sent \(stats.sent) nulled \(stats.nulled) deficit \(stats.deficit) deviation p99 "
                                + "\(stats.deviationMilliseconds(atPercentile: 99)) max \(stats.maxDeviationMilliseconds) ms")
                    }
                    await harness.shutdown()
                    return report
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        // Arrival jitter's bar is 2 ms over the kernel's own real-time wake-up p99 on this machine.
        let floor = await kernel.value
        print("the kernel's own wake-up p99 here: \(String(format: "%.3f", floor)) ms")
        var modes: Set<String> = []
        for report in reports {
            let stream = try #require(report.streams.first)
            modes.insert(stream.mode)
            let pitch = try #require(ToneAnalysis.frequency(Array(stream.leftChannel.dropFirst(4800)), sampleRate: 48_000))
            print(
                "60 s track, \(stream.mode): \(stream.audioFrames) frames, \(String(format: "%.2f", pitch)) Hz, "
                    + "\(stream.decryptFailures) decrypt failures, \(stream.sequenceGaps) gaps, jitter p50 "
                    + "\(stream.jitterP50Ms) p99 \(stream.jitterP99Ms) max \(stream.jitterMaxMs) ms")
            #expect(abs(stream.audioFrames - 3000) <= 2)
            #expect(abs(pitch - 440) <= 2)
            #expect(stream.decryptFailures == 0)
            #expect(stream.sequenceGaps == 0)
            #expect(stream.duplicates == 0)
            #expect(stream.nonceRepeats == 0)
            #expect(stream.jitterP99Ms < 2 + floor, "jitter p99 \(stream.jitterP99Ms) ms, kernel floor \(floor) ms")
        }
        #expect(modes.contains(EncryptionMode.xchacha20Poly1305.rawValue))
        if expectAES { #expect(modes.contains(EncryptionMode.aes256GCM.rawValue)) }
    }
}
