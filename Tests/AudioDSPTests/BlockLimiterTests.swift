import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// The zero-latency limiter the engine runs per 960-sample frame: what it guarantees when fed a
/// stream block by block, carrying only the gain from one block to the next.
@Suite struct BlockLimiterTests {
    /// Runs `signal` through a limiter in 960-frame blocks.
    static func limited(_ signal: [Float], ceiling: Double) -> [Float] {
        let limiter = BlockLimiter(ceilingDBTP: ceiling)
        var out = signal
        var gain: Float = 1
        out.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count / 2, by: 960) {
                gain = limiter.process(buffer.baseAddress! + start * 2, frames: min(960, buffer.count / 2 - start), startGain: gain)
            }
        }
        return out
    }

    @Test func programmeFarOverTheCeilingComesOutWithinThreeQuartersOfADecibelOfIt() async throws {
        let loud = try LoudnessFixtures.track(lufs: -6, seconds: 5)
        let before = try LoudnessFixtures.measure(loud).truePeak
        let out = Self.limited(loud, ceiling: -2)
        let ours = try LoudnessFixtures.measure(out).truePeak
        let reference = try await LoudnessFixtures.ffmpeg(out)
        let loudness = try LoudnessFixtures.measure(out).integrated ?? 0
        print(
            "block limiter at −2 dBTP: \(before) dBTP in, \(ours) dBTP out (ffmpeg \(reference.truePeakDBTP)), loudness −6 → \(loudness) LUFS"
        )
        // The cubic estimate misses part of bright material's inter-sample peaks: within 0.75 dB.
        #expect(ours <= -2 + 0.75)
        #expect(reference.truePeakDBTP <= -2 + 0.75)
        #expect(loudness > -10, "a limiter, not a gain: 11 dB of peaks cost 3 dB of loudness at most")
    }

    @Test func audioUnderTheCeilingPassesBitForBitWithNoDelay() {
        let tone = Signals.sine(997, amplitude: 0.5, seconds: 0.5)
        let signal = Signals.stereo(tone, tone)
        #expect(Self.limited(signal, ceiling: -1) == signal)
    }

    @Test func gainFallsBeforeAPeakAndRecoversWithoutAStep() {
        let quiet = Signals.sine(440, amplitude: 0.2, seconds: 0.5), loud = Signals.sine(440, amplitude: 1.5, seconds: 0.5)
        let signal = Signals.stereo(quiet + quiet + loud + quiet, quiet + quiet + loud + quiet)
        let out = Signals.channel(Self.limited(signal, ceiling: -1), 0)
        let ceiling = Float(pow(10, -1.0 / 20))
        #expect(out.allSatisfy { abs($0) <= ceiling })
        // Per-sample gains are continuous: no step larger than the signal itself could make.
        #expect(Signals.largestStep(out) < 0.1)
        // After the burst the gain has recovered within 0.5 s (release 100 ms).
        let tail = out[(out.count - 4_800)...]
        #expect(abs(ToneAnalysis.rms(tail) - 0.2 / 2.0.squareRoot()) < 0.01)
    }
}
