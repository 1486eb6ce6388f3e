import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

/// The gain rule, the running estimate of a first play, live AGC, and the result as ffmpeg
/// measures it: −14 LUFS, the +9 dB cap, true peak at or under −1 dBTP.
@Suite struct LoudnessNormalizationTests {
    @Test func gainRuleBringsTracksToTheTargetWithinTheBoostCap() throws {
        let rule = try LoudnessNormalization()
        #expect(rule.gainDB(integratedLUFS: -30, truePeakDBTP: -12) == 9)  // capped: would be +16
        #expect(rule.gainDB(integratedLUFS: -20, truePeakDBTP: -6) == 6)
        #expect(rule.gainDB(integratedLUFS: -8, truePeakDBTP: 0.5) == -6)
        #expect(rule.gainDB(integratedLUFS: nil, truePeakDBTP: -.infinity) == 0)
        let clamp = try LoudnessNormalization(targetLUFS: -14, peakProtection: .clamp)
        #expect(clamp.gainDB(integratedLUFS: -20, truePeakDBTP: -3) == 2)  // −3 + 2 = −1 dBTP
        #expect(clamp.gainDB(integratedLUFS: -20, truePeakDBTP: -10) == 6)
        #expect(try LoudnessNormalization(targetLUFS: -23).gainDB(integratedLUFS: -8, truePeakDBTP: -1) == -15)
    }

    @Test(arguments: [-23.5, -9.0, .nan])
    func refusesTargetsOutsideMinus23ToMinus10(target: Double) {
        #expect(throws: LoudnessError.self) { try LoudnessNormalization(targetLUFS: target) }
    }

    @Test(arguments: [(-30.0, -21.0), (-20.0, -14.0), (-8.0, -14.0)])
    func secondPlayLandsOnTargetWithTruePeakUnderTheCeiling(source: Double, expected: Double) async throws {
        let track = try LoudnessFixtures.track(lufs: source)
        let (integrated, peak) = try LoudnessFixtures.measure(track)
        let gain = LoudnessNormalization.linear(try LoudnessNormalization().gainDB(integratedLUFS: integrated, truePeakDBTP: peak))
        let out = LoudnessFixtures.limited(track.map { $0 * gain })
        let result = try await LoudnessFixtures.ffmpeg(out)
        print(
            "second play of a \(source) LUFS track (true peak \(String(format: "%.1f", peak)) dBTP): ffmpeg \(result.integratedLUFS) LUFS (golden \(expected) ± 0.5), \(result.truePeakDBTP) dBTP (golden ≤ −1)"
        )
        #expect(abs(result.integratedLUFS - expected) <= 0.5)
        #expect(result.truePeakDBTP <= -1.0)
    }

    @Test(arguments: [-30.0, -8.0])
    func firstPlayEstimateStaysWithinOneAndAHalfLUOfTheSecondPlay(source: Double) async throws {
        let track = try LoudnessFixtures.track(lufs: source, seconds: 30)
        let rule = try LoudnessNormalization()
        let running = try RunningLoudnessGain(rule: rule)
        var out = track
        var gains: [Double] = []
        out.withUnsafeMutableBufferPointer { buffer in
            for start in stride(from: 0, to: buffer.count / 2, by: 960) {
                running.process(buffer.baseAddress! + start * 2, frames: min(960, buffer.count / 2 - start))
                gains.append(running.currentGainDB)
            }
        }
        let fastest = zip(gains, gains.dropFirst()).map { abs($1 - $0) }.max()! / 0.02
        let first = try await LoudnessFixtures.ffmpeg(LoudnessFixtures.limited(out))
        let (integrated, peak) = try LoudnessFixtures.measure(track)
        let gain = LoudnessNormalization.linear(rule.gainDB(integratedLUFS: integrated, truePeakDBTP: peak))
        let second = try await LoudnessFixtures.ffmpeg(LoudnessFixtures.limited(track.map { $0 * gain }))
        print(
            "first play of a 30 s \(source) LUFS track: \(first.integratedLUFS) LUFS vs second play \(second.integratedLUFS) (golden within 1.5), fastest gain move \(fastest) dB/s (golden ≤ 1)"
        )
        #expect(abs(first.integratedLUFS - second.integratedLUFS) <= 1.5)
        #expect(fastest <= 1.0001)
        #expect(first.truePeakDBTP <= -1.0)
    }

    @Test func aFrozenEstimateNoLongerFollowsTheAudio() throws {
        let running = try RunningLoudnessGain(rule: try LoudnessNormalization(), initialGainDB: -2)
        running.freeze(gainDB: -3)
        var loud = try LoudnessFixtures.track(lufs: -30, seconds: 3)
        loud.withUnsafeMutableBufferPointer { running.process($0.baseAddress!, frames: $0.count / 2) }
        #expect(running.isFrozen && running.targetGainDB == -3)
        #expect(abs(running.currentGainDB + 3) < 1e-9)  // one dB in 1 s, reached within the 3 s
    }

    @Test func liveGainRisesSlowlyAndHoldsThroughSilence() throws {
        let live = try RunningLoudnessGain(rule: try LoudnessNormalization(), mode: .live)
        var stream = try LoudnessFixtures.track(lufs: -24, seconds: 20)
        stream.withUnsafeMutableBufferPointer { live.process($0.baseAddress!, frames: $0.count / 2) }
        let afterMusic = live.currentGainDB
        #expect(live.targetGainDB > 9.9 - 1 && live.targetGainDB <= 9)  // +10 wanted, capped at +9
        #expect(afterMusic > 6 && afterMusic <= 0.5 * 20 + 1e-9)  // at most 0.5 dB/s
        var silence = [Float](repeating: 0, count: 2 * 48_000 * 10)
        silence.withUnsafeMutableBufferPointer { live.process($0.baseAddress!, frames: $0.count / 2) }
        #expect(live.targetGainDB == 9)
        #expect(!live.isFrozen)
    }
}
