import AudioEngine
import CadenceTestSupport
import Foundation
import MediaServerSim
import Synchronization
import Testing

/// Every way a CDN misbehaves mid-song is a non-event: the 60 s track plays to its end, the
/// audio that arrives totals 60 s, its time code never steps back or skips, and no pause the
/// listener hears is longer than 1 s (2 s for a source below real time). A timing suite (that bar is wall time): in the main
/// pass, beside 380 other tests on two cores, it once saw one 5.5 s pause in four cases at
/// the same moment, which neither a run alone nor one beside three CPU hogs reproduces
/// (longest pause 0.45 s); so it runs in the engine's timing pass.
@Suite("Source recovery")
struct SourceRecoveryTimingTests {
    static let faults: [MediaFault] = [
        .dropConnection(atByte: 300_000),
        .stall(atByte: 300_000, seconds: 8),  // reached at once over loopback: proves playback rides over it, not the read timeout
        .expireURL(afterByte: 300_000),
        .corrupt(atByte: 300_000, count: 400),
        .shortContentLength(missing: 400_000),
        .bandwidth(bytesPerSecond: 15_000)
    ]

    /// One 60 s chirp for every case: CBR MP3 at 128 kb/s, 16 000 bytes a second, so byte
    /// 300 000 is about 19 s in.
    static let chirp = Task {
        let directory = try Tools.temporaryDirectory("recovery")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("chirp.mp3")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "aevalsrc=0.5*sin(2*PI*(200*t+50*t*t)):s=48000:d=60",
            "-c:a", "libmp3lame", "-b:a", "128k", file.path
        ])
        return try Data(contentsOf: file)
    }

    @Test("a 60 s track plays to its end through the fault", arguments: faults)
    func playsThroughFault(_ fault: MediaFault) async throws {
        let server = try await MediaServer.start()
        server.add("chirp.mp3", data: try await Self.chirp.value, contentType: "audio/mpeg")
        server.setFaults([fault], for: "chirp.mp3")

        let refreshes = Atomic<Int>(0)
        let source = TrackSource(location: server.url("chirp.mp3")) {
            refreshes.add(1, ordering: .relaxed)
            return TrackSource(location: server.freshURL("chirp.mp3"))
        }
        let sink = RecordingSink()
        let pacer = Pacer()
        let player = Player(sink: sink, pacer: pacer)
        player.play(source)
        var outcome: PlayerEvent?
        for await event in player.events {
            if case .finished = event {
                outcome = event
                break
            }
            if case .failed = event {
                outcome = event
                break
            }
        }
        pacer.shutdown()
        await server.shutdown()
        #expect(outcome == .finished(source: source.location, reason: .endOfTrack), "\(fault)")

        let audio = sink.received.filter { $0.bytes != opusSilenceFrame }
        let seconds = Double(audio.count) * 0.020
        #expect(abs(seconds - 60) <= 0.100, "\(fault): \(seconds) s of audio arrived")
        #expect(player.recoveries <= 3)

        // The time code: the chirp's frequency is 200 + 100 t Hz, so each 100 ms of audio
        // says where in the track it came from.
        let pcm = try OpusPCM.decodeLeft(audio.map(\.bytes))
        var times: [Double] = []
        for chunk in stride(from: 4_800, to: pcm.count - 9_600, by: 4_800) {
            let frequency = ToneAnalysis.frequency(Array(pcm[chunk..<chunk + 4_800]), sampleRate: 48_000) ?? 0
            times.append((frequency - 200) / 100)
        }
        // Chunk i should come from t0 + 0.1 i. A repeated stretch would step that offset
        // back, a lost one forward. A median filter over 7 chunks ignores glitches (a chunk
        // or two garbled where the stream was rejoined or bytes were corrupt).
        let offsets = times.enumerated().map { $0.element - 0.1 * Double($0.offset) }
        let smoothed = offsets.indices.map { index in
            offsets[max(0, index - 3)...min(offsets.count - 1, index + 3)].sorted()[
                min(3, (min(offsets.count - 1, index + 3) - max(0, index - 3)) / 2)]
        }
        let steps = zip(smoothed.dropFirst(), smoothed).map { $0 - $1 }.filter { abs($0) > 0.02 }
        #expect(steps.allSatisfy { $0 > 0 }, "\(fault): audio repeated: steps \(steps)")
        // Corrupt bytes are undecodable: the frames they hit are skipped (the issue's rule), so
        // a jump of a few frames is expected there and nowhere else.
        let skipped = steps.reduce(0, +)
        if case .corrupt = fault {
            #expect(skipped <= 0.1, "\(fault): skipped \(skipped) s")
        } else {
            #expect(steps.isEmpty, "\(fault): time code jumps \(steps)")
        }
        var longestGap = 0.0
        for (previous, next) in zip(audio, audio.dropFirst()) {
            longestGap = max(longestGap, Double(next.arrivalNanoseconds - previous.arrivalNanoseconds) / 1e9 - 0.020)
        }
        // A source below real time keeps the ring empty, so every moment its decoder thread
        // waits for a core is a pause: alone its longest is 0.23–0.56 s (late in the run, while
        // the other cases decode and analyse what they received), and in the timing pass beside
        // 13 other suites on two cores it reached 1.001 s. Its bar is 2 s; the others keep 1 s.
        let pauseBar = if case .bandwidth = fault { 2.0 } else { 1.0 }
        #expect(longestGap <= pauseBar, "\(fault): longest pause \(longestGap) s")
        if case .expireURL = fault { #expect(refreshes.load(ordering: .relaxed) >= 1) }
        print(
            "recovery \(fault): \(seconds) s audio, skipped \(String(format: "%.3f", skipped)) s, longest pause \(String(format: "%.3f", longestGap)) s, "
                + "recoveries \(player.recoveries), requests \(server.requestCount("chirp.mp3"))")
    }
}
