import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// lavaplayer's equalizer, measured with steady tones: at a band's centre the response is
/// 1 + 4g (band 8 at +0.25 → +6.0 dB); at its −3 dB edge, f₀·2^(−1/3), it is |1 + 4g(1 + j)/2|.
@Suite struct EqualizerResponseTests {
    static let centres: [Double] = [25, 40, 63, 100, 160, 250, 400, 630, 1000, 1600, 2500, 4000, 6300, 10000, 16000]

    /// Output/input level in dB of a 0.1-amplitude tone through one band at `gain`.
    static func response(band: Int, gain: Float, frequency: Double) -> Double {
        let chain = ChainHarness.chain(FilterSettings(equalizer: [.init(band: band, gain: gain)]))
        // Long enough for the 25 Hz band (Q ≈ 2, τ ≈ 0.2 s) to settle; measure the last second.
        let tone = Signals.sine(frequency, amplitude: 0.1, seconds: 3)
        let out = Signals.channel(ChainHarness.run(chain, Signals.stereo(tone, tone)), 0)
        let tail = out.count - 48_000
        let amplitude = ToneAnalysis.toneAmplitudes(out[tail...], frequencies: [frequency], sampleRate: 48_000)[0]
        return ToneAnalysis.decibels(amplitude / 0.1)
    }

    @Test(arguments: [0, 4, 8, 11, 14])
    func aBandAtPlusQuarterDoublesItsCentre(band: Int) {
        let db = Self.response(band: band, gain: 0.25, frequency: Self.centres[band])
        print("equalizer band \(band) (\(Self.centres[band]) Hz) at +0.25: \(String(format: "%+.2f", db)) dB (golden +6.02)")
        #expect(abs(db - 6.02) <= 0.5)
    }

    @Test(arguments: [(Float(1.0), 13.98), (Float(-0.2), -13.98), (Float(0.1), 2.92)])
    func centreGainFollowsOnePlusFourG(gain: Float, expected: Double) {
        let db = Self.response(band: 8, gain: gain, frequency: 1000)
        print("equalizer band 8 at \(gain): \(String(format: "%+.2f", db)) dB (golden \(expected))")
        #expect(abs(db - expected) <= 0.5)
    }

    @Test func aBandIsTwoThirdsOfAnOctaveWide() {
        // At the lower −3 dB point the band-pass is 1/√2 at +45°: |1 + (1 + j)/2| = +3.98 dB for g = 0.25.
        let db = Self.response(band: 8, gain: 0.25, frequency: 1000 / pow(2, 1.0 / 3))
        print("equalizer band 8 at +0.25, 794 Hz: \(String(format: "%+.2f", db)) dB (golden +3.98)")
        #expect(abs(db - 3.98) <= 0.5)
    }

    @Test func tonesFarFromTheBandPassUnchanged() {
        for frequency in [100.0, 10_000] {
            let db = Self.response(band: 8, gain: 0.25, frequency: frequency)
            #expect(abs(db) <= 0.5, "\(frequency) Hz moved \(db) dB")
        }
    }

    @Test func minusQuarterRemovesTheBand() {
        let db = Self.response(band: 5, gain: -0.25, frequency: 250)
        #expect(db < -30)
    }
}
