import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// Karaoke, channelMix, lowPass, distortion and volume: the listener's check for karaoke and
/// exact arithmetic for the others, compared once their 20 ms ramp-in is over.
@Suite struct StereoFilterTests {
    static let rampFrames = 960

    static func noise(seconds: Double = 0.5) -> [Float] {
        Signals.stereo(Signals.pinkNoise(seconds: seconds, seed: 7), Signals.pinkNoise(seconds: seconds, seed: 99))
    }

    static func expectMatches(_ out: [Float], _ expected: (Int, Float, Float) -> (Float, Float), input: [Float]) {
        var worst: Float = 0
        for frame in rampFrames..<(input.count / 2) {
            let (l, r) = expected(frame, input[2 * frame], input[2 * frame + 1])
            worst = max(worst, abs(out[2 * frame] - l), abs(out[2 * frame + 1] - r))
        }
        #expect(worst < 1e-5, "worst difference \(worst)")
    }

    @Test func karaokeCutsACentredVoiceAndKeepsAHardPannedInstrument() {
        let centre = Signals.sine(1000, amplitude: 0.3, seconds: 2)
        let silent = [Float](repeating: 0, count: centre.count)
        let k = FilterSettings(karaoke: .init(level: 1, monoLevel: 1, filterBand: 220, filterWidth: 100))
        let centred = ChainHarness.run(ChainHarness.chain(k), Signals.stereo(centre, centre))
        let panned = ChainHarness.run(ChainHarness.chain(k), Signals.stereo(centre, silent))
        let tail = 48_000..<96_000
        let cut = ToneAnalysis.decibels(ToneAnalysis.rms(Signals.channel(centred, 0)[tail]) / ToneAnalysis.rms(centre[tail]))
        let kept = ToneAnalysis.decibels(ToneAnalysis.rms(Signals.channel(panned, 0)[tail]) / ToneAnalysis.rms(centre[tail]))
        print("karaoke: centred 1 kHz tone \(cut) dB (golden ≤ −20), side tone \(kept) dB (golden within 1)")
        #expect(cut <= -20)
        #expect(abs(kept) <= 1)
    }

    @Test func channelMixIsTheTwoByTwoMatrix() {
        let input = Self.noise()
        let out = ChainHarness.run(
            ChainHarness.chain(
                FilterSettings(
                    channelMix: .init(leftToLeft: 0.25, leftToRight: 0.75, rightToLeft: 0.5, rightToRight: 0.1))), input)
        Self.expectMatches(out, { _, l, r in (l * 0.25 + r * 0.5, l * 0.75 + r * 0.1) }, input: input)
    }

    @Test func lowPassIsTheOnePoleSmoother() {
        let input = Self.noise()
        let out = ChainHarness.run(ChainHarness.chain(FilterSettings(lowPass: .init(smoothing: 20))), input)
        var yl: Float = 0, yr: Float = 0
        var expected: [(Float, Float)] = []
        for frame in 0..<(input.count / 2) {
            yl += (input[2 * frame] - yl) / 20
            yr += (input[2 * frame + 1] - yr) / 20
            expected.append((yl, yr))
        }
        Self.expectMatches(out, { frame, _, _ in expected[frame] }, input: input)
        // And as heard: 5 kHz loses far more than 100 Hz.
        let hi = Signals.sine(5000, amplitude: 0.3, seconds: 1), lo = Signals.sine(100, amplitude: 0.3, seconds: 1)
        let hiOut = ChainHarness.run(ChainHarness.chain(FilterSettings(lowPass: .init(smoothing: 20))), Signals.stereo(hi, hi))
        let loOut = ChainHarness.run(ChainHarness.chain(FilterSettings(lowPass: .init(smoothing: 20))), Signals.stereo(lo, lo))
        #expect(ToneAnalysis.rms(Signals.channel(hiOut, 0)[24_000...]) < 0.1 * ToneAnalysis.rms(hi[24_000...]))
        #expect(ToneAnalysis.rms(Signals.channel(loOut, 0)[24_000...]) > 0.9 * ToneAnalysis.rms(lo[24_000...]))
    }

    @Test func distortionIsLavadspsWaveshaper() {
        let input = Self.noise()
        let d = FilterSettings.Distortion(
            sinOffset: 0.1, sinScale: 2, cosOffset: 0.2, cosScale: 1.5,
            tanOffset: 0.3, tanScale: 0.5, offset: 0.05, scale: 1.2)
        let out = ChainHarness.run(ChainHarness.chain(FilterSettings(distortion: d)), input)
        func shape(_ x: Float) -> Float {
            min(1, max(-1, 0.05 + 1.2 * (0.1 + sin(x * 2)) * (0.2 + cos(x * 1.5)) * (0.3 + tan(x * 0.5))))
        }
        Self.expectMatches(out, { _, l, r in (shape(l), shape(r)) }, input: input)
    }

    @Test func volumeScales() {
        let input = Self.noise()
        let out = ChainHarness.run(ChainHarness.chain(FilterSettings(volume: 2.5)), input)
        Self.expectMatches(out, { _, l, r in (l * 2.5, r * 2.5) }, input: input)
    }
}
