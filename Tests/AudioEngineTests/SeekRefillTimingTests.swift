import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// A seek while the ring is full of frames from before it is heard at once and then plays on
/// without a hole: the new frames get the whole ring, not the two slots the old ones left.
@Suite struct SeekRefillTimingTests {
    @Test(arguments: [50, 250])
    func aSeekIntoAFullRingPlaysOnWithoutSilence(_ ringFrames: Int) async throws {
        let directory = try Tools.temporaryDirectory("seek-refill")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.tone("tone.mp3", in: directory, seconds: 30, codec: ["-c:a", "libmp3lame", "-b:a", "192k"])
        let sink = RecordingSink()
        let pacer = Pacer()
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(ringCapacity: ringFrames))
        player.play(source.path)
        // Playing, with the ring full: the decoder is napping until there is room.
        while sink.received.count < 50 || player.bufferedFrames < ringFrames - 1 {
            try await Task.sleep(for: .milliseconds(10))
        }
        let before = try #require(player.stats)
        player.seek(toMs: 15_000)
        try await Task.sleep(for: .milliseconds(1_500))
        let after = try #require(player.stats)
        let silent = after.nulled - before.nulled
        print("seek into a full \(ringFrames)-frame ring: \(silent) empty ticks in the next 1.5 s, \(after.sent - before.sent) frames sent")
        #expect(silent <= 3, "\(silent) ticks without audio after the seek")
        #expect(after.sent - before.sent >= 70)
        player.stop()
        while player.isActive { try await Task.sleep(for: .milliseconds(20)) }
    }
}
