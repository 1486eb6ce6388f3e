import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// Changes mid-stream: heard from the next push, ramped so nothing clicks (no sample-to-sample
/// step beyond what the signal itself makes), and nothing lost or repeated.
@Suite struct FilterRampTests {
    static let change = 24_000  // frames into the stream where the update lands

    static func tone(seconds: Double = 1.5) -> [Float] {
        let t = Signals.sine(440, amplitude: 0.5, seconds: seconds)
        return Signals.stereo(t, t)
    }

    /// Runs `input` with `before` and switches to `after` at `change`.
    static func switched(_ before: FilterSettings, _ after: FilterSettings, _ input: [Float]) -> [Float] {
        let chain = ChainHarness.chain(before)
        return ChainHarness.run(chain, input) { done in if done == change { chain.update(after) } }
    }

    /// The largest step the steady signal makes with either setting: the bar for "no click".
    static func ownLargestStep(_ settings: [FilterSettings], _ input: [Float]) -> Float {
        settings.map { s in
            let out = ChainHarness.run(ChainHarness.chain(s), input)
            return max(Signals.largestStep(Signals.channel(out, 0)), Signals.largestStep(Signals.channel(out, 1)))
        }.max()!
    }

    @Test func volumeChangeIsHeardAtOnceAndGlidesOverTwentyMilliseconds() {
        let input = Self.tone()
        let out = Signals.channel(Self.switched(FilterSettings(), FilterSettings(volume: 0.2), input), 0)
        let bar = Signals.largestStep(Signals.channel(input, 0))
        #expect(Signals.largestStep(out) <= bar * 1.01)
        #expect(out.count == input.count / 2)
        let before = ToneAnalysis.toneAmplitudes(out[(Self.change - 480)..<Self.change], frequencies: [440], sampleRate: 48_000)[0]
        let during = ToneAnalysis.toneAmplitudes(out[Self.change..<(Self.change + 480)], frequencies: [440], sampleRate: 48_000)[0]
        let after = ToneAnalysis.toneAmplitudes(out[(Self.change + 960)..<(Self.change + 1440)], frequencies: [440], sampleRate: 48_000)[0]
        print("volume 1 → 0.2: amplitude \(before) before, \(during) in the first 10 ms, \(after) after 20 ms")
        #expect(abs(before - 0.5) < 0.001 && during < 0.45 && during > 0.25 && abs(after - 0.1) < 0.001)
    }

    @Test(arguments: [
        FilterSettings(equalizer: [.init(band: 8, gain: 0.25)]),
        FilterSettings(karaoke: .init()),
        FilterSettings(tremolo: .init(frequency: 5, depth: 1)),
        FilterSettings(vibrato: .init(frequency: 10, depth: 1)),
        FilterSettings(rotation: .init(rotationHz: 3)),
        FilterSettings(channelMix: .init(leftToLeft: 0, leftToRight: 1, rightToLeft: 1, rightToRight: 0)),
        FilterSettings(lowPass: .init(smoothing: 40)),
        FilterSettings(volume: 3)
    ])
    func switchingAFilterOnAndOffNeverClicks(_ filter: FilterSettings) {
        let input = Self.tone()
        let bar = Self.ownLargestStep([FilterSettings(), filter], input)
        let on = Self.switched(FilterSettings(), filter, input)
        let off = Self.switched(filter, FilterSettings(), input)
        for out in [on, off] {
            let step = max(Signals.largestStep(Signals.channel(out, 0)), Signals.largestStep(Signals.channel(out, 1)))
            #expect(step <= bar * 1.05, "step \(step) against the signal's own \(bar)")
            #expect(out.count == input.count)
        }
    }

    @Test func timescaleOnAndOffMidStreamDipsWithoutAClickAndKeepsTheAudio() {
        let input = Self.tone(seconds: 3)
        let chain = FilterChain()
        let out = ChainHarness.run(chain, input) { done in
            if done == 48_000 { chain.update(FilterSettings(timescale: .init(speed: 1.25))) }
            if done == 96_000 { chain.update(FilterSettings()) }
        }
        let left = Signals.channel(out, 0)
        let step = Signals.largestStep(left)
        let bar = Signals.largestStep(Signals.channel(input, 0))
        // One second plays at 1.25×: 3 s of source become 2.8 s.
        let seconds = Double(left.count) / 48_000
        print("timescale on at 1 s, off at 2 s: \(seconds) s out (golden 2.8 ± 0.02), largest step \(step) vs \(bar)")
        #expect(step <= bar * 1.05)
        #expect(abs(seconds - 2.8) <= 0.02)
        #expect(abs((ToneAnalysis.frequency(Array(left.suffix(24_000)), sampleRate: 48_000) ?? 0) - 440) < 1)
        #expect(chain.isIdentity)
    }

    @Test func timescaleToggledEveryPacketStaysCleanAndLosesNothingAudible() {
        let input = Self.tone(seconds: 2)
        let chain = FilterChain()
        var on = false
        let out = ChainHarness.run(chain, input) { done in
            guard done < 48_000 else { return }
            on.toggle()
            chain.update(on ? FilterSettings(timescale: .init(speed: 1.25)) : FilterSettings())
        }
        let left = Signals.channel(out, 0)
        #expect(Signals.largestStep(left) <= Signals.largestStep(Signals.channel(input, 0)) * 1.05)
        // Between all at 1× (2 s) and all at 1.25× (1.6 s), and back to plain 440 Hz at the end.
        let seconds = Double(left.count) / 48_000
        #expect(seconds > 1.6 - 0.02 && seconds < 2 + 0.02, "\(seconds) s")
        #expect(abs((ToneAnalysis.frequency(Array(left.suffix(12_000)), sampleRate: 48_000) ?? 0) - 440) < 1)
    }

    @Test func resetDropsBufferedAudioAndState() {
        let chain = ChainHarness.chain(FilterSettings(timescale: .init(speed: 0.8), lowPass: .init(smoothing: 10)))
        _ = ChainHarness.run(chain, Self.tone(seconds: 0.5), flush: false)
        let tone = Self.tone(seconds: 0.1)
        tone.withUnsafeBufferPointer { chain.process($0.baseAddress!, frameCount: 4800) }
        chain.reset()
        #expect(chain.availableFrames == 0 && chain.latencyFrames == 0)
        chain.update(FilterSettings())
        chain.reset()
        let out = ChainHarness.run(chain, tone)
        #expect(out == tone)
    }

    @Test func capacityIsFixedAfterInit() {
        let chain = ChainHarness.chain(
            FilterSettings(
                volume: 0.9, equalizer: [.init(band: 2, gain: 0.3)], karaoke: .init(),
                tremolo: .init(), vibrato: .init(), rotation: .init(rotationHz: 0.2),
                channelMix: .init(leftToRight: 0.3), lowPass: .init(smoothing: 5)))
        let capacity = chain.capacityFrames
        var out = [Float](repeating: 0, count: 2 * capacity)
        let block = Self.tone(seconds: 0.2)
        for _ in 0..<50 {
            block.withUnsafeBufferPointer { chain.process($0.baseAddress!, frameCount: 9600) }
            #expect(chain.availableFrames == 9600)
            #expect(out.withUnsafeMutableBufferPointer { chain.read(into: $0.baseAddress!, maxFrames: capacity) } == 9600)
        }
        #expect(chain.capacityFrames == capacity)
    }
}
