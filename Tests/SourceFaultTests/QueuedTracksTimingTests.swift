import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// Tracks queued on one player reach a listener on the voice server as one talk spurt: no
/// silence frames, no speaking change and no arrival gap between them.
@Suite("Queued tracks timing")
struct QueuedTracksTimingTests {
    @Test("three queued files arrive as one burst: 5 silence frames and speaking off only at the very end")
    func queuedTracksAreOneBurst() async throws {
        let directory = try Tools.temporaryDirectory("queued-voice")
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [URL] = []
        // Lengths that are not whole frames, so each boundary falls inside a frame.
        for (index, seconds) in [1.5071, 1.2113, 1.0].enumerated() {
            let url = directory.appendingPathComponent("part\(index).flac")
            try await Tools.ffmpeg([
                "-f", "lavfi", "-i", "sine=frequency=\(440 + 110 * index):sample_rate=48000:duration=\(seconds)",
                "-ac", "2", "-c:a", "flac", url.path
            ])
            files.append(url)
        }
        let rig = try await ListeningRig.start()
        rig.player.play(files[0].path)
        for file in files.dropFirst() { rig.player.enqueue(TrackSource(location: file.path)) }
        var events: [PlayerEvent] = []
        for await event in rig.player.events {
            events.append(event)
            if case .finished(files[2].path, _) = event { break }
            if case .failed = event { break }
        }
        _ = await rig.heard()
        // Speaking off travels on the WebSocket, after the silence frames on UDP.
        _ = await rig.voice.waitUntil(timeout: 3) { $0.gateway.speaking.last?.flags == 0 && $0.gateway.speaking.count >= 2 }
        let report = rig.voice.report()
        await rig.shutdown()

        #expect(events == files.flatMap { [PlayerEvent.started(source: $0.path), .finished(source: $0.path, reason: .endOfTrack)] })
        let stream = try #require(report.streams.first)
        let flags = report.gateway.speaking.map(\.flags)
        print(
            "queued voice: audio frames \(stream.audioFrames), silence frames \(stream.silenceFrames), speaking \(flags), gaps \(stream.gaps.map(\.milliseconds)), longest gap \(stream.longestGapMs) ms"
        )
        #expect(stream.silenceFrames == 5, "silence frames: only the final tail")
        // Speaking goes on once, before the first frame, and off once, after the last.
        let afterOn = flags.drop { $0 == 0 }
        #expect(afterOn.first == 1 && afterOn.dropFirst() == [0], "speaking \(flags)")
        #expect(stream.gaps.isEmpty, "arrival gaps \(stream.gaps)")
        // 3.7184 s of audio, and the frame the encoder's look-ahead needs at the end.
        #expect(abs(stream.audioFrames - 187) <= 1, "\(stream.audioFrames) audio frames")
    }
}
