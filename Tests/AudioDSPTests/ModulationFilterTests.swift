import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// Tremolo, rotation and vibrato, measured on a steady 440 Hz tone as a listener hears them:
/// the loudness swing, the left/right sweep, the pitch wobble.
@Suite struct ModulationFilterTests {
    /// Amplitude of the 440 Hz tone in consecutive windows of `window` frames of one channel.
    static func envelope(_ channel: [Float], window: Int = 240) -> [Double] {
        stride(from: 0, to: channel.count - window, by: window).map {
            ToneAnalysis.toneAmplitudes(channel[$0..<($0 + window)], frequencies: [440], sampleRate: 48_000)[0]
        }
    }

    static func tone(seconds: Double) -> [Float] {
        let t = Signals.sine(440, amplitude: 0.5, seconds: seconds)
        return Signals.stereo(t, t)
    }

    @Test func tremoloSwingsBetweenOneMinusDepthAndOneAtItsFrequency() {
        let chain = ChainHarness.chain(FilterSettings(tremolo: .init(frequency: 4, depth: 0.6)))
        let out = Signals.channel(ChainHarness.run(chain, Self.tone(seconds: 4)), 0)
        let env = Array(Self.envelope(out).dropFirst(10))  // past the 20 ms ramp-in
        let ratio = env.min()! / env.max()!
        let mean = env.reduce(0, +) / Double(env.count)
        let hz = ToneAnalysis.frequency(env.map { Float($0 - mean) }, sampleRate: 200) ?? 0
        print("tremolo f=4 d=0.6: min/max \(ratio) (golden 0.4 ± 0.02), envelope \(hz) Hz (golden 4 ± 1 %)")
        #expect(abs(ratio - 0.4) <= 0.02)
        #expect(abs(hz - 4) <= 0.04)
    }

    @Test func rotationSweepsLeftAndRightAsASineAtRotationHz() {
        let chain = ChainHarness.chain(FilterSettings(rotation: .init(rotationHz: 0.5)))
        let out = ChainHarness.run(chain, Self.tone(seconds: 4))
        let left = Self.envelope(Signals.channel(out, 0), window: 480)
        let right = Self.envelope(Signals.channel(out, 1), window: 480)
        var worst = 0.0
        for i in 5..<left.count {
            let t = (Double(i) + 0.5) * 0.01
            let s = sin(2 * Double.pi * 0.5 * t)
            worst = max(worst, abs(left[i] - 0.5 * (1 + s) / 2), abs(right[i] - 0.5 * (1 - s) / 2))
        }
        print("rotation 0.5 Hz: worst L/R amplitude error against 0.5·(1 ± sin) / 2: \(worst)")
        #expect(worst < 0.01)
        #expect(left.max()! > 0.49 && right.max()! > 0.49 && left.min()! < 0.01 && right.min()! < 0.01)
    }

    @Test func vibratoWobblesThePitchAroundTheTone() {
        let chain = ChainHarness.chain(FilterSettings(vibrato: .init(frequency: 2, depth: 1)))
        let out = Signals.channel(ChainHarness.run(chain, Self.tone(seconds: 3)), 0)
        let pitches = stride(from: 4800, to: out.count - 2400, by: 2400).compactMap {
            ToneAnalysis.frequency(Array(out[$0..<($0 + 2400)]), sampleRate: 48_000)
        }
        let mean = pitches.reduce(0, +) / Double(pitches.count)
        // A 2 ms swept delay at 2 Hz moves 440 Hz by up to 440·π·2·0.002 ≈ ±5.5 Hz.
        print("vibrato f=2 d=1: pitch \(pitches.min()!)…\(pitches.max()!) Hz around \(mean)")
        #expect(abs(mean - 440) < 0.5)
        #expect(pitches.max()! - pitches.min()! > 6)
        #expect(pitches.max()! - pitches.min()! < 12)
    }
}
