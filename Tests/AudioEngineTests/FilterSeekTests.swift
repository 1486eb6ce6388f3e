import AudioDSP
import AudioEngine
import CadenceTestSupport
import Foundation
import MediaServerSim
import Synchronization
import Testing

/// A seek right after the filters changed lands where it was asked to, whichever way the
/// filters were cleared: to nothing at all (lavalink.py sends `{}`), or to an identity timescale
/// (wavelink sends every filter at its default).
@Suite("Filter then seek")
struct FilterSeekTests {
    @Test(
        "timescale 1.25, cleared, then a seek to 30 s: the first frame after it starts within 40 ms of 30 s",
        arguments: ["nothing", "identity"])
    func seekAfterClearingTimescaleLandsOnTarget(_ cleared: String) async throws {
        let directory = try Tools.temporaryDirectory("filter-seek")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.chirp("chirp.mp3", in: directory, seconds: 45, codec: ["-c:a", "libmp3lame", "-b:a", "192k"])
        let sink = SteppedSink()
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        // The node's ring: 400 ms.
        let player = Player(
            sink: sink, pacer: pacer, options: PlayerOptions(ringCapacity: 20, stuckThreshold: .seconds(600)),
            unpaced: true)
        try player.setFilters(FilterSettings(timescale: .init(speed: 1.25)))
        sink.allow(100)
        player.play(source.path)
        while sink.received.count < 100 { try await Task.sleep(for: .milliseconds(5)) }
        while player.bufferedFrames < 20 { try await Task.sleep(for: .milliseconds(5)) }
        try player.setFilters(cleared == "nothing" ? FilterSettings() : FilterSettings(timescale: .init(speed: 1)))
        while !player.settingsApplied { try await Task.sleep(for: .milliseconds(5)) }
        sink.allow(150)
        while sink.received.count < 150 { try await Task.sleep(for: .milliseconds(5)) }
        while player.bufferedFrames < 20 { try await Task.sleep(for: .milliseconds(5)) }
        player.seek(toMs: 30_000)
        sink.allow(.max)
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }

        let frames = sink.received
        let pcm = try OpusPCM.decodeLeft(frames)
        let firstAfter = 150
        let frameStart = Fixtures.chirpTime(ofFrame: firstAfter, in: pcm, near: 30, window: 0.5)
        print(
            "seek after clearing timescale to \(cleared): first frame after seeking to 30 s starts at \(frameStart) s; \(frames.count) frames"
        )
        #expect(abs(frameStart - 30) <= 0.040, "first frame after the seek starts at \(frameStart) s")
        let after = Double(frames.count - firstAfter) * 0.020
        #expect(abs(after - 15) <= 0.060, "\(after) s played after the seek")
    }

    @Test(
        "an MP3 over HTTP, 14 s in, seeks ahead or back: the first frame after it starts within 40 ms of the target",
        arguments: [20_500, 11_500, 36_500])
    func seekInHTTPMP3LandsOnTarget(_ target: Int) async throws {
        let directory = try Tools.temporaryDirectory("http-seek")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.chirp("chirp.mp3", in: directory, seconds: 45, codec: ["-c:a", "libmp3lame", "-b:a", "192k"])
        let media = try await MediaServer.start()
        media.add("chirp.mp3", data: try Data(contentsOf: source), contentType: "audio/mpeg")
        let sink = SteppedSink()
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(
            sink: sink, pacer: pacer, options: PlayerOptions(ringCapacity: 20, stuckThreshold: .seconds(600)),
            unpaced: true)
        let before = 700
        sink.allow(before)
        player.play(media.url("chirp.mp3"))
        while sink.received.count < before { try await Task.sleep(for: .milliseconds(5)) }
        while player.bufferedFrames < 20 { try await Task.sleep(for: .milliseconds(5)) }
        let seekTo = Double(target) / 1000
        player.seek(toMs: Int64(seekTo * 1000))
        sink.allow(.max)
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        await media.shutdown()

        let pcm = try OpusPCM.decodeLeft(sink.received)
        let frameStart = Fixtures.chirpTime(ofFrame: before, in: pcm, near: seekTo, window: 1.5)
        print("http mp3 seek to \(seekTo) s from 14 s: first frame after it starts at \(frameStart) s")
        #expect(abs(frameStart - seekTo) <= 0.040, "first frame after the seek starts at \(frameStart) s")
    }
}
