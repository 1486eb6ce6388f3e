import AudioEngine
import CadenceTestSupport
import Foundation
import MediaServerSim
import Testing

/// Live sources at the voice server: an Icecast-style MP3 radio and a live HLS playlist both
/// play, and after the network drops they rejoin the live edge. The source is a chirp, so the
/// listener can tell that nothing heard before the drop is heard again (the time code never
/// steps back), and that audio goes on afterwards.
@Suite struct LiveStreamTimingTests {
    /// What the listener heard of one live session with one outage.
    struct LiveRun {
        let run: FaultRun
        let framesBeforeDrop: Int
    }

    @Test func anIcecastRadioRejoinsTheLiveEdgeAfterADrop() async throws {
        let mp3 = try await Self.liveMP3(seconds: 90)
        let rig = try await ListeningRig.start()
        // Icecast bursts a second of its buffer to every new listener, a reconnecting one too.
        rig.media.addLive("radio.mp3", data: mp3, bytesPerSecond: 16_000, frameBytes: 384, burstSeconds: 1)
        let url = "http://127.0.0.1:\(rig.media.port)/radio.mp3"
        let live = try await Self.listen(rig, to: TrackSource(location: url, isLive: true), label: "icecast", requests: "radio.mp3") {
            rig.media.dropConnections()
        }
        Self.check(live)
    }

    @Test func aLiveHLSPlaylistRejoinsTheLiveEdgeAfterAnOutage() async throws {
        let segments = try await Self.hlsSegments(seconds: 90, segmentSeconds: 2)
        let rig = try await ListeningRig.start()
        rig.media.addLiveHLS("live", segments: segments, segmentSeconds: 2, window: 5)
        // libav starts a live playlist three segments back; give the server those first.
        try await Task.sleep(for: .seconds(6.5))
        let url = "http://127.0.0.1:\(rig.media.port)/live.m3u8"
        let live = try await Self.listen(rig, to: TrackSource(location: url, isLive: true), label: "hls", requests: "live/segments") {
            rig.media.dropConnections(refusingFor: 0.25)
        }
        Self.check(live)
    }

    /// Plays `source` for 10 s, runs `outage`, plays 10 s more and stops.
    static func listen(
        _ rig: ListeningRig, to source: TrackSource, label: String, requests: String,
        outage: @escaping @Sendable () -> Void
    ) async throws -> LiveRun {
        let player = rig.player
        let voice = rig.voice
        async let events = rig.play(source, timeout: .seconds(60))
        let before = await Task {
            _ = await voice.waitUntil(timeout: 30) { $0.streams.first?.audioFrames ?? 0 >= 500 }
            let frames = voice.report(includeAudio: false).streams.first?.audioFrames ?? 0
            outage()
            try? await Task.sleep(for: .seconds(10))
            player.stop()
            return frames
        }.value
        let seen = await events
        let report = await rig.heard()
        let stream = report.streams.first
        let left = Array((stream?.leftChannel ?? []).prefix((stream?.audioFrames ?? 0) * 960))
        let run = FaultRun(
            label: label, events: seen, stream: stream, timeCode: ChirpTimeCode(left: left),
            recoveries: player.recoveries, refreshes: 0, requests: rig.media.requestCount(requests))
        await rig.shutdown()
        return LiveRun(run: run, framesBeforeDrop: before)
    }

    static func check(_ live: LiveRun) {
        let run = live.run
        let after = Double((run.stream?.audioFrames ?? 0) - live.framesBeforeDrop) * 0.020
        print(
            "live \(run.label): \(String(format: "%.2f", after)) s after the drop, jumps \(run.timeCode.jumps.map { String(format: "%.2f", $0) }), "
                + "longest pause \(String(format: "%.3f", run.longestPause)) s, recoveries \(run.recoveries), requests \(run.requests), "
                + "stuck \(run.stucks)")
        #expect(run.end.map { if case .finished(_, .stopped) = $0 { true } else { false } } == true, "\(run.label): \(run.events)")
        #expect(live.framesBeforeDrop >= 500, "\(run.label): never got going")
        #expect(after >= 7, "\(run.label): only \(after) s of audio after the drop")
        #expect(run.repeats.isEmpty, "\(run.label): audio from before the drop was replayed: jumps \(run.timeCode.jumps)")
        #expect(run.stream?.duplicates == 0)
        #expect(run.requests >= 2, "\(run.label): never reconnected")
    }

    /// A chirp as bare constant-size MP3 frames (no ID3 tag, no Xing frame), as a radio
    /// encoder emits them: 128 kb/s at 48 kHz is 384 bytes per 24 ms frame.
    static func liveMP3(seconds: Int) async throws -> Data {
        let directory = try Tools.temporaryDirectory("radio")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("radio.mp3")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", ChirpTimeCode.lavfi(seconds: seconds), "-c:a", "libmp3lame", "-b:a", "128k",
            "-ar", "48000", "-write_xing", "0", "-id3v2_version", "0", "-f", "mp3", file.path
        ])
        let data = try Data(contentsOf: file)
        let sync = data.indices.first { data[$0] == 0xFF && $0 + 1 < data.count && data[$0 + 1] & 0xE0 == 0xE0 } ?? 0
        return data.subdata(in: sync..<data.count)
    }

    /// The chirp cut into MPEG-TS segments of AAC by ffmpeg's HLS muxer, in order.
    static func hlsSegments(seconds: Int, segmentSeconds: Int) async throws -> [Data] {
        let directory = try Tools.temporaryDirectory("hls")
        defer { try? FileManager.default.removeItem(at: directory) }
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", ChirpTimeCode.lavfi(seconds: seconds), "-c:a", "aac", "-b:a", "128k",
            "-f", "hls", "-hls_time", String(segmentSeconds), "-hls_list_size", "0",
            "-hls_segment_filename", directory.appendingPathComponent("seg%d.ts").path,
            directory.appendingPathComponent("index.m3u8").path
        ])
        let index = try String(contentsOf: directory.appendingPathComponent("index.m3u8"), encoding: .utf8)
        return try index.split(separator: "\n").filter { $0.hasSuffix(".ts") }
            .map { try Data(contentsOf: directory.appendingPathComponent(String($0))) }
    }
}
