import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// A change that must be heard at once, checked as a listener would: a 12 s time-coded chirp
/// plays in real time through a player with the default 5 s ring, `change` brings its level to
/// 40 % after 100 frames have arrived, and the frames up to 200 are decoded. The new level must
/// be heard within 100 ms of the call, with no time code repeated or skipped and no click.
enum InstantChange {
    static func check(_ label: String, change: (Player) throws -> Void) async throws {
        let directory = try Tools.temporaryDirectory(label.replacingOccurrences(of: " ", with: "-"))
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.chirp("chirp.wav", in: directory, seconds: 12)
        let sink = RecordingSink()
        let pacer = Pacer()
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer)  // the default ring: 250 frames, 5 s
        player.play(source.path)
        while sink.received.count < 100 { try await Task.sleep(for: .milliseconds(10)) }
        let calledAt = sink.clock.now()
        try change(player)
        while sink.received.count < 200 { try await Task.sleep(for: .milliseconds(20)) }
        player.stop()
        while player.isActive { try await Task.sleep(for: .milliseconds(20)) }

        let frames = sink.received.filter { $0.bytes != opusSilenceFrame }
        let pcm = try OpusPCM.decodeLeft(frames.map(\.bytes))
        // Level of each frame against the chirp's own (constant) amplitude.
        let steady = ToneAnalysis.rms(pcm[48_000..<57_600])
        let quietFrame = try #require(
            (50..<frames.count).first { index in
                ToneAnalysis.rms(pcm[index * 960..<(index + 1) * 960]) < steady * 0.7
            })
        let heardAfterMs = Double(Int64(frames[quietFrame].arrivalNanoseconds) - Int64(calledAt)) / 1e6
        let later = ToneAnalysis.rms(pcm[(frames.count - 30) * 960..<(frames.count - 5) * 960])
        print("\(label): level \(later / steady) of before; first quiet frame arrived \(heardAfterMs) ms after the call")
        #expect(heardAfterMs <= 100, "the change was heard \(heardAfterMs) ms after the call")
        if abs(later / steady - 0.4) >= 0.04 {
            let levels = (0..<frames.count).map { Int(100 * ToneAnalysis.rms(pcm[$0 * 960..<($0 + 1) * 960]) / steady) }
            print("\(label): per-frame level (%): \(levels)")
        }
        #expect(abs(later / steady - 0.4) < 0.04)

        // The time code: every 50 ms of output sits at the same offset in the chirp, and still
        // matches it there (a repeated or lost frame would shift what follows by 960 samples).
        let (moved, weakest, first) = ChirpTimeCode.check(pcm, chirpStart: 0)
        print("\(label): time code offset \(first) samples; \(moved.count) windows moved; weakest window correlation \(weakest)")
        #expect(moved.isEmpty, "time code jumped: \(moved)")
        // The window holding the 20 ms gain ramp correlates at about 0.95 by itself; a frame
        // out of place would bring it near 0.
        #expect(weakest > 0.9, "a window no longer matches the chirp: correlation \(weakest)")

        // A gain step would be a jump many times the largest step the chirp itself makes.
        var steadyStep: Float = 0
        for i in 48_001..<57_600 { steadyStep = max(steadyStep, abs(pcm[i] - pcm[i - 1])) }
        var largestStep: Float = 0
        for i in 48_001..<(pcm.count - 960) { largestStep = max(largestStep, abs(pcm[i] - pcm[i - 1])) }
        #expect(largestStep <= steadyStep * 1.5, "largest step \(largestStep) vs steady \(steadyStep)")
    }
}
