import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// Seek, volume and stop behave as a listener expects.
@Suite("Player controls")
struct PlayerControlsTests {
    @Test("seek to 30 s in a 60 s file: the first frame after it starts within 40 ms of 30 s")
    func seekLandsOnTarget() async throws {
        let directory = try Tools.temporaryDirectory("seek")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.chirp("chirp.flac", in: directory, seconds: 60, codec: ["-c:a", "flac"])

        // The sink stops taking frames after 50 (1 s in), so the seek lands mid-track however
        // fast or slow the machine is; every frame after the release is from after the seek.
        let playback = OfflinePlayback(gateAfter: 50)
        defer { playback.shutdown() }
        let player = playback.player
        player.play(source.path)
        while playback.sink.frameCount < 50 { try await Task.sleep(for: .milliseconds(5)) }
        player.seek(toMs: 30_000)
        playback.sink.release()
        let events = try await playback.collectUntilEnd()
        #expect(events.last == .finished(source: source.path, reason: .endOfTrack))

        let frames = playback.sink.audioFrames
        let firstAfter = 50
        try #require(frames.count > firstAfter + 200)
        let pcm = try OpusPCM.decodeLeft(frames)
        // Where in the source that frame came from, by the exact chirp around 30 s.
        let frameStart = Fixtures.chirpTime(ofFrame: firstAfter, in: pcm, near: 30, window: 0.15)
        print("seek: first frame after seeking to 30 s starts at \(frameStart) s")
        #expect(abs(frameStart - 30) <= 0.040, "first frame after the seek starts at \(frameStart) s")
        // And the rest of the file follows: 30 s more, give or take a frame.
        let after = Double(frames.count - firstAfter) * 0.020
        #expect(abs(after - 30) <= 0.060, "\(after) s played after the seek")
    }

    @Test("a volume change ramps over one frame, without a click")
    func volumeChangeDoesNotClick() async throws {
        let directory = try Tools.temporaryDirectory("volume")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.tone("tone.wav", in: directory, seconds: 20)
        // Real time, so the change lands mid-track; steps wait on frames the sink saw, not on
        // wall time, so a slow machine only makes the test longer.
        let sink = RecordingSink()
        let pacer = Pacer()
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(ringCapacity: 10))
        player.play(source.path)
        while sink.received.count < 40 { try await Task.sleep(for: .milliseconds(20)) }
        player.volume = 0.2
        let changedAt = sink.received.count
        while sink.received.count < changedAt + 80 { try await Task.sleep(for: .milliseconds(20)) }
        player.stop()
        while player.isActive { try await Task.sleep(for: .milliseconds(20)) }

        let pcm = try OpusPCM.decodeLeft(sink.audioFrames)
        let loud = ToneAnalysis.rms(pcm[9_600..<19_200])
        let quiet = ToneAnalysis.rms(pcm[(pcm.count - 28_800)..<(pcm.count - 4_800)])
        #expect(abs(quiet / loud - 0.2) < 0.03, "level went from \(loud) to \(quiet)")
        // A sine's largest sample-to-sample step is about 2π·440/48000 of its amplitude; a
        // gain jump would show as a step many times larger.
        var steadyStep: Float = 0
        for i in 9_601..<19_200 { steadyStep = max(steadyStep, abs(pcm[i] - pcm[i - 1])) }
        var largestStep: Float = 0
        for i in 1..<(pcm.count - 960) { largestStep = max(largestStep, abs(pcm[i] - pcm[i - 1])) }
        #expect(largestStep <= steadyStep * 1.5, "largest step \(largestStep) vs steady \(steadyStep)")
    }

    @Test("stop ends the track with silence and a stopped reason")
    func stopEndsTrack() async throws {
        let directory = try Tools.temporaryDirectory("stop")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.tone("tone.wav", in: directory, seconds: 30)
        let sink = RecordingSink()
        let pacer = Pacer()
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer)
        player.play(source.path)
        var events = player.events.makeAsyncIterator()
        #expect(await events.next() == .started(source: source.path))
        try await Task.sleep(for: .milliseconds(300))
        player.stop()
        let next = await events.next()
        #expect(next == .finished(source: source.path, reason: .stopped), "after stop: \(String(describing: next))")
        #expect(sink.received.suffix(5).allSatisfy { $0.bytes == opusSilenceFrame })
        #expect(sink.speakingHistory == [true, false])
        #expect(!player.isActive)
    }
}
