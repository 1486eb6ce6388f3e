import AudioEngine
import CadenceTestSupport
import Foundation
import Resolver
import Synchronization
import Testing

@testable import CadenceBot

/// A guild's queue hands the next entry to the engine ahead of time, so queued songs play as
/// one burst: no silence frames and no speaking change between them, and the queue still
/// moves on song by song.
@Suite struct GuildPlayerGaplessTimingTests {
    /// Resolves `name` to a file in `directory`.
    final class FileLookup: TrackLookup {
        let directory: URL
        init(directory: URL) { self.directory = directory }
        func resolve(_ input: String) async throws(ResolverError) -> ResolvedTrack {
            ResolvedTrack(input: input, streamURL: directory.appendingPathComponent(input).path, title: input)
        }
        func prefetch(_ input: String) {}
    }

    /// Counts what the pacer sends, as a voice connection would see it.
    final class WireLog: FrameSink {
        struct State { var audio = 0, silence = 0, speaking: [Bool] = [], silenceBeforeLastAudio = 0 }
        let state = Mutex(State())
        var isReady: Bool { true }
        func send(opus: UnsafeRawBufferPointer) {
            state.withLock { state in
                if opus.count == 3, Array(opus) == opusSilenceFrame {
                    state.silence += 1
                } else {
                    state.silenceBeforeLastAudio = state.silence
                    state.audio += 1
                }
            }
        }
        func setSpeaking(_ speaking: Bool) { state.withLock { $0.speaking.append(speaking) } }
    }

    @Test func queuedSongsPlayWithoutSilenceOrSpeakingChangeBetweenThem() async throws {
        let directory = try Tools.temporaryDirectory("bot-gapless")
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, seconds) in [("a.flac", 1.3117), ("b.flac", 1.0), ("c.flac", 0.8)] {
            try await Tools.ffmpeg([
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=\(seconds)", "-ac", "2",
                directory.appendingPathComponent(name).path
            ])
        }
        let wire = WireLog()
        let pacer = Pacer()
        defer { pacer.shutdown() }
        // The bot's ring: 1 s.
        let playback = EnginePlayback(player: Player(sink: wire, pacer: pacer, options: PlayerOptions(ringCapacity: 50)))
        let player = GuildPlayer(guildID: "g1", lookup: FileLookup(directory: directory))
        await player.attach(playback, channelID: "voice-1")
        _ = try await player.enqueue("a.flac", requester: "u1")
        _ = try await player.enqueue("b.flac", requester: "u1")
        _ = try await player.enqueue("c.flac", requester: "u1")
        var seen: [String] = []
        for _ in 0..<600 {
            if let input = await player.current?.input, seen.last != input { seen.append(input) }
            if seen.count == 3, await player.current == nil { break }
            if await player.current == nil, !seen.isEmpty { break }
            try await Task.sleep(for: .milliseconds(10))
        }
        while playback.player.isActive { try await Task.sleep(for: .milliseconds(20)) }
        let state = wire.state.withLock { $0 }
        print(
            "bot gapless: songs \(seen), audio frames \(state.audio), silence \(state.silence), silence before the last audio frame \(state.silenceBeforeLastAudio), speaking \(state.speaking)"
        )
        #expect(seen == ["a.flac", "b.flac", "c.flac"])
        #expect(state.silenceBeforeLastAudio == 0, "silence frames between songs")
        #expect(state.silence == 5)
        #expect(state.speaking == [true, false])
        // 3.1117 s of audio in 20 ms frames, and the frame the encoder's look-ahead needs.
        #expect(abs(state.audio - 157) <= 1, "\(state.audio) audio frames")
    }
}
