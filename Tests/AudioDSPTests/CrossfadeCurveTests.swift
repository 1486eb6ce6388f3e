import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// The doc's crossfade case: A = 440 Hz at −20 dBFS, B = 660 Hz, D = 4 s, measured in 10 ms
/// windows by fitting both tones at once.
@Suite struct CrossfadeCurveTests {
    static let duration = 4 * 48_000

    @Test func equalPowerCurvesAndAFlatSum() {
        let a = Signals.sine(440, amplitude: 0.1, seconds: 8), b = Signals.sine(660, amplitude: 0.1, seconds: 8)
        let overlapStart = a.count - Self.duration
        var fade = Crossfade(durationFrames: Self.duration)
        var mixed = [Float](repeating: 0, count: 2 * Self.duration)
        let outgoing = Signals.stereo(Array(a[overlapStart...]), Array(a[overlapStart...]))
        let incoming = Signals.stereo(Array(b.prefix(Self.duration)), Array(b.prefix(Self.duration)))
        mixed.withUnsafeMutableBufferPointer { out in
            // In uneven blocks, as packets come.
            var done = 0
            for block in [1, 959, 960, 4000, 12345] + Array(repeating: 960, count: 200) where done < Self.duration {
                let n = min(block, Self.duration - done)
                fade.mix(
                    outgoing: outgoing.withUnsafeBufferPointer { $0.baseAddress! } + 2 * done,
                    incoming: incoming.withUnsafeBufferPointer { $0.baseAddress! } + 2 * done,
                    into: out.baseAddress! + 2 * done, frames: n)
                done += n
            }
        }
        #expect(fade.isFinished)
        let prefix = Signals.stereo(Array(a.prefix(overlapStart)), Array(a.prefix(overlapStart)))
        let suffix = Signals.stereo(Array(b[Self.duration...]), Array(b[Self.duration...]))
        let out = LoudnessFixtures.limited(prefix + mixed + suffix)
        let left = Signals.channel(out, 0)
        #expect(left.count == a.count + b.count - Self.duration)

        var worstOut = 0.0, worstIn = 0.0, worstSum = 0.0
        for window in stride(from: 0, to: Self.duration - 480, by: 480) {
            let start = overlapStart + window
            let amps = ToneAnalysis.toneAmplitudes(left[start..<(start + 480)], frequencies: [440, 660], sampleRate: 48_000)
            let t = (Double(window) + 240) / Double(Self.duration)
            let expectedOut = cos(.pi / 2 * t), expectedIn = sin(.pi / 2 * t)
            // Compare each curve where it is within 20 dB of full; below that a dB error means nothing to the ear.
            if expectedOut > 0.1 { worstOut = max(worstOut, abs(ToneAnalysis.decibels(amps[0] / 0.1 / expectedOut))) }
            if expectedIn > 0.1 { worstIn = max(worstIn, abs(ToneAnalysis.decibels(amps[1] / 0.1 / expectedIn))) }
            let power = (amps[0] * amps[0] + amps[1] * amps[1]) / (0.1 * 0.1)
            worstSum = max(worstSum, abs(10 * log10(power)))
        }
        let peak = ToneAnalysis.decibels(Double(out.map(abs).max()!))
        print(
            "crossfade D=4 s: worst cos \(worstOut) dB, sin \(worstIn) dB, power sum \(worstSum) dB (golden ±0.5 each), sample peak \(peak) dBFS (golden ≤ −1)"
        )
        #expect(worstOut <= 0.5 && worstIn <= 0.5 && worstSum <= 0.5)
        #expect(peak <= -1)
    }

    @Test func correlatedLoudTracksAreLimitedAtTheSum() {
        // Two full-scale tracks in phase would reach +3 dB at the midpoint; the limiter holds the ceiling.
        let tone = Signals.sine(440, amplitude: 0.95, seconds: 1)
        let both = Signals.stereo(tone, tone)
        var fade = Crossfade(durationFrames: 48_000)
        var mixed = both
        both.withUnsafeBufferPointer { src in
            mixed.withUnsafeMutableBufferPointer {
                fade.mix(outgoing: src.baseAddress!, incoming: src.baseAddress!, into: $0.baseAddress!, frames: 48_000)
            }
        }
        #expect(mixed.map(abs).max()! > 1.2)
        #expect(LoudnessFixtures.limited(mixed).map(abs).max()! <= Float(pow(10, -1.0 / 20)))
    }

    @Test func skipFadesOutInAQuarterSecond() {
        var fade = FadeOut()
        let tone = Signals.sine(440, amplitude: 0.5, seconds: 0.5)
        var signal = Signals.stereo(tone, tone)
        signal.withUnsafeMutableBufferPointer { fade.apply($0.baseAddress!, frames: $0.count / 2) }
        let left = Signals.channel(signal, 0)
        #expect(fade.isFinished && fade.durationFrames == 12_000)
        #expect(left[12_000...].allSatisfy { $0 == 0 })
        let mid = ToneAnalysis.toneAmplitudes(left[5760..<6240], frequencies: [440], sampleRate: 48_000)[0]
        #expect(abs(ToneAnalysis.decibels(mid / 0.5) - ToneAnalysis.decibels(cos(.pi / 4))) <= 0.5)
        #expect(Signals.largestStep(left) <= Signals.largestStep(tone) * 1.01)
    }

    @Test func trailingSilenceBelowMinus50IsTrimmed() {
        let music = Signals.sine(440, amplitude: 0.3, seconds: 2)
        let hiss = Signals.pinkNoise(seconds: 1).map { $0 * 0.002 }  // peaks well under −50 dBFS
        let track = music + hiss
        let frames = SilenceTrim.audibleFrames(Signals.stereo(track, track), frames: track.count)
        let lastLoud = music.lastIndex { abs($0) >= Float(pow(10, -50.0 / 20)) }! + 1
        #expect(hiss.allSatisfy { abs($0) < Float(pow(10, -50.0 / 20)) })
        #expect(frames == lastLoud)
        #expect(SilenceTrim.audibleFrames(Signals.stereo(hiss, hiss), frames: hiss.count) == 0)
    }
}
