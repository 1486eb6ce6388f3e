import CadenceTestSupport
import Foundation
import Testing
import VoiceServerSim

/// A minute of Cadence's audio with DAVE on, as in the voice issue's loopback stream: every
/// frame after the transition is E2EE, the server opens them with its in-process member
/// (Cadence's own DAVE receive path) and decodes the 440 Hz tone on time, and davey (openmls)
/// decrypts them all too.
@Suite struct DAVEInteropStreamTimingTests {
    @Test(DAVELab.peersAvailable)
    func sixtySecondsOfE2EEAudioArriveWholeAndDecryptAtThePeer() async throws {
        try await DAVELab.run(configure: { $0.e2eeCaptureLimit = 3_100 }) { lab in
            let listener = "300000000000000001"
            lab.server.addDAVEListener(userID: listener)
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            let peer = try await lab.join(.davey)
            #expect(await lab.settle(members: [peer], including: cadence.userID, listener))
            #expect(await cadence.waitUntilActive(epoch: lab.server.report(includeAudio: false).dave.epoch))

            try await cadence.playTone(seconds: 60)
            _ = await lab.server.waitUntil(timeout: 5) { $0.stream(of: cadence.userID)?.silenceFrames ?? 0 >= 5 }
            let stream = try #require(lab.server.report().stream(of: cadence.userID))
            let opened = try await peer.decrypt(stream.e2eeCaptured, from: cadence.userID)
            let share = Double(opened.compactMap { $0 }.count) / Double(max(1, stream.e2eeFrames))
            let pitch = ToneAnalysis.frequency(Array(stream.leftChannel.dropFirst(4800)), sampleRate: 48_000)
            print(
                "DAVE 60 s: \(stream.audioFrames) frames, \(stream.e2eeFrames) E2EE, \(stream.plainFrames) plain, "
                    + "\(stream.e2eeOpened) opened and \(stream.decodedFrames) decoded at the server, "
                    + "pitch \(pitch.map { String(format: "%.2f", $0) } ?? "-") Hz, davey decrypted "
                    + "\(String(format: "%.3f", share * 100)) %, jitter p50 \(stream.jitterP50Ms) p99 \(stream.jitterP99Ms) ms")
            #expect(abs(stream.audioFrames - 3000) <= 2)
            #expect(stream.e2eeFrames == stream.audioFrames && stream.plainFrames == 0 && stream.plainAfterE2EE == 0)
            #expect(stream.e2eeOpened == stream.e2eeFrames && stream.decodeErrors == 0)
            #expect(abs((pitch ?? 0) - 440) <= 2)
            #expect(stream.e2eeCaptured.count == stream.e2eeFrames)
            #expect(share >= 0.999)
            #expect(stream.decryptFailures == 0 && stream.sequenceGaps == 0 && stream.duplicates == 0)
            await cadence.shutdown()
        }
    }
}
