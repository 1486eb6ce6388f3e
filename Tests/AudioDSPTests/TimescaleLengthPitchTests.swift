import AudioDSP
import CadenceTestSupport
import Testing

/// SoundTouch through the chain: speed changes length not pitch, pitch the reverse, rate both.
@Suite struct TimescaleLengthPitchTests {
    static let seconds = 4.0

    static func play(_ timescale: FilterSettings.Timescale) -> (seconds: Double, hz: Double, ratio: Double) {
        let chain = ChainHarness.chain(FilterSettings(timescale: timescale))
        let tone = Signals.sine(440, amplitude: 0.5, seconds: seconds)
        let out = Signals.channel(ChainHarness.run(chain, Signals.stereo(tone, tone)), 0)
        let middle = out[(out.count / 4)..<(3 * out.count / 4)]
        let hz = ToneAnalysis.frequency(Array(middle), sampleRate: 48_000) ?? 0
        return (Double(out.count) / 48_000, hz, chain.timeRatio)
    }

    @Test func speedShortensWithoutChangingPitch() {
        let (length, hz, ratio) = Self.play(.init(speed: 1.25))
        print("timescale speed 1.25: \(length) s (golden \(Self.seconds / 1.25)), \(hz) Hz (golden 440), timeRatio \(ratio)")
        #expect(abs(length - Self.seconds / 1.25) <= 0.020)
        #expect(abs(hz - 440) <= 1)
        #expect(ratio == 1.25)
    }

    @Test func pitchRaisesWithoutChangingLength() {
        let (length, hz, ratio) = Self.play(.init(pitch: 1.25))
        print("timescale pitch 1.25: \(length) s (golden \(Self.seconds)), \(hz) Hz (golden 550)")
        #expect(abs(length - Self.seconds) <= 0.020)
        #expect(abs(hz - 550) <= 2)
        #expect(ratio == 1)
    }

    @Test func rateChangesBoth() {
        let (length, hz, ratio) = Self.play(.init(rate: 1.25))
        print("timescale rate 1.25: \(length) s (golden \(Self.seconds / 1.25)), \(hz) Hz (golden 550)")
        #expect(abs(length - Self.seconds / 1.25) <= 0.020)
        #expect(abs(hz - 550) <= 2)
        #expect(ratio == 1.25)
    }

    /// The engine resets the chain to new settings when it makes buffered frames again: a reset
    /// that is what turns timescale on must run SoundTouch at the new speed from the first sample.
    @Test func aResetThatTurnsTimescaleOnAppliesItsSpeedAtOnce() {
        let chain = FilterChain()
        chain.update(FilterSettings(timescale: .init(speed: 1.25)))
        chain.reset()
        let tone = Signals.sine(440, amplitude: 0.5, seconds: Self.seconds)
        let out = Signals.channel(ChainHarness.run(chain, Signals.stereo(tone, tone)), 0)
        let length = Double(out.count) / 48_000
        print("timescale speed 1.25 after a reset: \(length) s (golden \(Self.seconds / 1.25))")
        #expect(abs(length - Self.seconds / 1.25) <= 0.020)
        #expect(chain.timeRatio == 1.25)
    }

    @Test func timescaleOffKeepsEveryFrame() {
        let chain = FilterChain()
        let tone = Signals.sine(440, seconds: 1)
        let out = ChainHarness.run(chain, Signals.stereo(tone, tone))
        #expect(out == Signals.stereo(tone, tone))
        #expect(chain.isIdentity && chain.timeRatio == 1 && chain.latencyFrames == 0)
    }
}
