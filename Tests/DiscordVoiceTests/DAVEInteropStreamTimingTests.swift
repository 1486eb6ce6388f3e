import CadenceTestSupport
import Foundation
import Testing
import VoiceServerSim

/// A minute of Cadence's audio with DAVE on, as in the voice issue's loopback stream: the
/// server counts every frame, each one after the transition is E2EE, and davey (openmls)
/// decrypts them back into the same 440 Hz tone.
@Suite struct DAVEInteropStreamTimingTests {
    @Test(DAVELab.peersAvailable)
    func sixtySecondsOfE2EEAudioArriveWholeAndDecryptAtThePeer() async throws {
        try await DAVELab.run(configure: { $0.e2eeCaptureLimit = 3_100 }) { lab in
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            let peer = try await lab.join(.davey)
            #expect(await lab.settle(members: [peer], including: cadence.userID))
            #expect(await cadence.waitUntilActive(epoch: 1))

            try await cadence.playTone(seconds: 60)
            _ = await lab.server.waitUntil(timeout: 5) { $0.streams.first?.silenceFrames ?? 0 >= 5 }
            let stream = try #require(lab.server.report(includeAudio: false).streams.first)
            let opened = try await peer.decrypt(stream.e2eeCaptured, from: cadence.userID)
            let plain = opened.compactMap { $0 }
            let decoded = VoiceServerSim.decodeOpus(plain)
            let pitch = ToneAnalysis.frequency(Array(stream.leftChannel(decoded.pcm).dropFirst(4800)), sampleRate: 48_000)
            let share = Double(plain.count) / Double(max(1, stream.e2eeFrames))
            print("DAVE 60 s: \(stream.audioFrames) frames, \(stream.e2eeFrames) E2EE, \(stream.plainFrames) plain, "
                + "peer decrypted \(plain.count) (\(String(format: "%.3f", share * 100)) %), pitch \(pitch.map { String(format: "%.2f", $0) } ?? "-") Hz, "
                + "jitter p99 \(stream.jitterP99Ms) ms")
            #expect(abs(stream.audioFrames - 3000) <= 2)
            #expect(stream.e2eeFrames == stream.audioFrames && stream.plainAfterE2EE == 0)
            #expect(stream.e2eeCaptured.count == stream.e2eeFrames)
            #expect(share >= 0.999)
            #expect(decoded.failures == 0)
            #expect(abs((pitch ?? 0) - 440) <= 2)
            #expect(stream.decryptFailures == 0 && stream.sequenceGaps == 0)
            await cadence.shutdown()
        }
    }
}

extension VoiceServerReport.Stream {
    /// The left channel of interleaved stereo `pcm`, as floats for pitch analysis.
    func leftChannel(_ pcm: [Int16]) -> [Float] {
        stride(from: 0, to: pcm.count, by: 2).map { Float(pcm[$0]) / 32768 }
    }
}
