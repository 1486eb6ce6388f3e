import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// The meter against ffmpeg's `ebur128` filter, an implementation independent of libebur128.
@Suite struct LoudnessMeterTests {
    @Test func tech3341CaseOneReadsMinus23() async throws {
        // EBU Tech 3341 case 1: 1 kHz stereo sine at −23 dBFS in each channel = −23.0 LUFS.
        let sine = Signals.sine(1000, amplitude: pow(10, -23.0 / 20), seconds: 20)
        let signal = Signals.stereo(sine, sine)
        let ours = try LoudnessFixtures.measure(signal)
        let reference = try await LoudnessFixtures.ffmpeg(signal)
        print("Tech 3341 case 1: meter \(ours.integrated!) LUFS, ffmpeg \(reference.integratedLUFS) LUFS (golden −23.0)")
        #expect(abs(ours.integrated! + 23) <= 0.1)
        #expect(abs(reference.integratedLUFS + 23) <= 0.1)
    }

    @Test(arguments: [-30.0, -20.0, -8.0])
    func agreesWithFFmpegOnProgrammeAt(lufs: Double) async throws {
        let signal = try LoudnessFixtures.track(lufs: lufs)
        let ours = try LoudnessFixtures.measure(signal)
        let reference = try await LoudnessFixtures.ffmpeg(signal)
        print(
            "track at \(lufs) LUFS: meter \(ours.integrated!) LUFS / \(ours.truePeak) dBTP, ffmpeg \(reference.integratedLUFS) LUFS / \(reference.truePeakDBTP) dBTP"
        )
        #expect(abs(reference.integratedLUFS - lufs) <= 0.2)
        #expect(abs(ours.integrated! - reference.integratedLUFS) <= 0.2)
        #expect(abs(ours.truePeak - reference.truePeakDBTP) <= 0.3)
    }

    @Test func momentaryAndShortTermFollowTheLastSeconds() throws {
        let meter = try LoudnessMeter()
        let quiet = Signals.sine(1000, amplitude: pow(10, -33.0 / 20), seconds: 5)
        let loud = Signals.sine(1000, amplitude: pow(10, -13.0 / 20), seconds: 4)
        let signal = Signals.stereo(quiet + loud, quiet + loud)
        signal.withUnsafeBufferPointer { meter.add($0.baseAddress!, frames: signal.count / 2) }
        #expect(abs(meter.momentaryLUFS! + 13) <= 0.1)
        #expect(abs(meter.shortTermLUFS! + 13) <= 0.1)
        // The quiet part is 20 LU down, so the −10 LU relative gate leaves only the loud part.
        #expect(abs(meter.integratedLUFS! + 13) <= 0.2)
        #expect(abs(meter.samplePeakDBFS + 13) <= 0.05)
    }

    @Test func silenceHasNoLoudness() throws {
        let meter = try LoudnessMeter()
        let silence = [Float](repeating: 0, count: 96_000)
        silence.withUnsafeBufferPointer { meter.add($0.baseAddress!, frames: 48_000) }
        #expect(meter.integratedLUFS == nil)
        #expect(meter.truePeakDBTP == -.infinity)
    }
}
