import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

@Suite struct TruePeakLimiterTests {
    @Test func interSamplePeaksStayUnderTheCeiling() async throws {
        // A sine at fs/4 sampled at ±45°: every sample is 0.99, the waveform between them peaks at 1.40 (+2.9 dBTP).
        var sine = Signals.sine(12_000, amplitude: 0.99 * 2.0.squareRoot(), seconds: 3, phase: .pi / 4)
        // 10 ms fades: a full-scale 12 kHz tone switched on in one sample rings differently in
        // every interpolator (ffmpeg's reads 0.5 dB above libebur128's), so its "true peak" is no bar.
        for i in 0..<480 {
            sine[i] *= Float(i) / 480
            sine[sine.count - 1 - i] *= Float(i) / 480
        }
        let music = try LoudnessFixtures.track(lufs: -6, seconds: 3)
        for signal in [Signals.stereo(sine, sine), music] {
            let before = try LoudnessFixtures.measure(signal).truePeak
            let out = LoudnessFixtures.limited(signal, ceiling: -1)
            let ours = try LoudnessFixtures.measure(out).truePeak
            let reference = try await LoudnessFixtures.ffmpeg(out)
            print("limiter at −1 dBTP: \(before) dBTP in, \(ours) dBTP out (ffmpeg \(reference.truePeakDBTP))")
            #expect(ours <= -1.0)
            #expect(reference.truePeakDBTP <= -1.0)
        }
    }

    @Test func quietAudioPassesUnchangedAfterAFixedLatency() {
        let limiter = TruePeakLimiter(ceilingDBTP: -1)
        let tone = Signals.sine(997, amplitude: 0.3, seconds: 0.5)
        var signal = Signals.stereo(tone, tone)
        let original = signal
        signal.withUnsafeMutableBufferPointer { limiter.process($0.baseAddress!, frames: $0.count / 2) }
        let latency = limiter.latencyFrames
        #expect(latency > 0 && latency < 200)
        #expect(signal.prefix(2 * latency).allSatisfy { $0 == 0 })
        #expect(Array(signal[(2 * latency)...]) == Array(original.prefix(original.count - 2 * latency)))
    }

    @Test func gainComesDownBeforeALoudBurstWithoutAStep() {
        let quiet = Signals.sine(440, amplitude: 0.2, seconds: 0.5), loud = Signals.sine(440, amplitude: 1.5, seconds: 0.5)
        let signal = Signals.stereo(quiet + loud, quiet + loud)
        let out = Signals.channel(LoudnessFixtures.limited(signal), 0)
        #expect(out.map(abs).max()! <= Float(pow(10, -1.0 / 20)))
        // The gain glides down over the look-ahead: no step beyond what the input itself makes.
        #expect(Signals.largestStep(out) <= Signals.largestStep(Signals.channel(signal, 0)))
        #expect(Signals.largestStep(Array(out.prefix(20_000))) <= Signals.largestStep(quiet) * 1.01)
    }
}
