import AudioEngine
import CadenceTestSupport
import Foundation
import MediaServerSim
import Testing

@testable import CadenceBot

/// A guild's queue hands the next entry to the engine ahead of time, so queued songs play as
/// one burst: no silence frames and no speaking change between them, and the queue still
/// moves on song by song.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct GuildPlayerGaplessTimingTests {
    @Test func queuedSongsPlayWithoutSilenceOrSpeakingChangeBetweenThem() async throws {
        let directory = try Tools.temporaryDirectory("bot-gapless")
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = try await MediaServer.start()
        defer { Task { await server.shutdown() } }
        var urls: [String] = []
        for (name, seconds) in [("a.flac", 1.3117), ("b.flac", 1.0), ("c.flac", 0.8)] {
            let file = directory.appendingPathComponent(name)
            try await Tools.ffmpeg([
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)", "-ac", "2", file.path
            ])
            server.add(name, data: try Data(contentsOf: file), contentType: "audio/flac")
            urls.append("http://127.0.0.1:\(server.port)/\(name)")
        }
        let resolver = LocalTracks.resolver()
        // Resolved before the clock starts: the first song's 1.3 s must not race yt-dlp.
        for url in urls { _ = try await resolver.resolve(url) }
        let wire = RecordingSink()
        let pacer = Pacer()
        defer { pacer.shutdown() }
        // The bot's ring: 1 s.
        let engine = Player(sink: wire, pacer: pacer, options: PlayerOptions(ringCapacity: 50))
        let player = GuildPlayer(guildID: "g1", resolver: resolver)
        await player.attach(engine, channelID: "voice-1")
        for url in urls { _ = try await player.enqueue(url, requester: "u1") }
        var seen: [String] = []
        for _ in 0..<600 {
            if let input = await player.current?.input, seen.last != input { seen.append(input) }
            if await player.current == nil, !seen.isEmpty { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        while engine.isActive { try await Task.sleep(for: .milliseconds(20)) }
        let frames = wire.received.map(\.bytes)
        let silence = frames.filter { $0 == opusSilenceFrame }.count
        let lastAudio = frames.lastIndex { $0 != opusSilenceFrame } ?? 0
        let silenceBeforeLastAudio = frames[..<lastAudio].filter { $0 == opusSilenceFrame }.count
        let audio = frames.count - silence
        print(
            "bot gapless: songs \(seen), audio frames \(audio), silence \(silence), silence before the last audio frame \(silenceBeforeLastAudio), speaking \(wire.speakingHistory)"
        )
        #expect(seen == urls)
        #expect(silenceBeforeLastAudio == 0, "silence frames between songs")
        #expect(silence == 5)
        #expect(wire.speakingHistory == [true, false])
        // 3.1117 s of audio in 20 ms frames, and the frame the encoder's look-ahead needs.
        #expect(abs(audio - 157) <= 1, "\(audio) audio frames")
    }
}
