import AudioEngine
import CadenceTestSupport
import Foundation
import MediaServerSim
import Testing

/// Every way a CDN misbehaves mid-song, judged where a listener would judge it: at the local
/// voice server, after Player → RTPSender → UDP → decryption → Opus decoding. A 60 s chirp
/// (its pitch is its time code) plays through each fault; all modes play at once, one media
/// server, voice server and connection each, so the suite takes about a minute.
@Suite(.serialized) struct SourceFaultsTimingTests {
    struct Mode: Sendable {
        var label: String
        var faults: [MediaFault]
        var options = PlayerOptions()
        /// Whether the stall must be noticed by stuck detection rather than the read timeout.
        var expectsStuck = false
        var expectsRecovery = true
    }

    /// The chirp is CBR MP3 at 16 000 bytes a second, so byte 300 000 is about 19 s in.
    static let modes: [Mode] = [
        Mode(label: "drop at byte 300000", faults: [.dropConnection(atByte: 300_000)]),
        // Over loopback the server writes far ahead into socket buffers, so this stall is
        // over before the decoder reaches it: playback rides over it without a reconnect.
        Mode(label: "stall 8 s at byte 300000", faults: [.stall(atByte: 300_000, seconds: 8)], expectsRecovery: false),
        Mode(label: "403 after byte 300000, fresh URL from the resolver", faults: [.expireURL(afterByte: 300_000)]),
        Mode(label: "400 corrupt bytes at 300000", faults: [.corrupt(atByte: 300_000, count: 400)], expectsRecovery: false),
        Mode(label: "Content-Length 400000 bytes short", faults: [.shortContentLength(missing: 400_000)]),
        Mode(label: "bandwidth 15 kB/s (below real time)", faults: [.bandwidth(bytesPerSecond: 15_000)], expectsRecovery: false),
        // Paced at 1.5× real time the socket buffers hold only a second or two of surplus, so
        // the decoder really waits inside the stall: the 3 s read timeout notices it and the
        // decoder reopens at its position while the 5 s ring keeps playing.
        Mode(
            label: "paced 24 kB/s, stall 8 s at byte 300000 (read timeout)",
            faults: [.bandwidth(bytesPerSecond: 24_000), .stall(atByte: 300_000, seconds: 8)]),
        // Bytes keep trickling at 500 B/s for 30 s: a 1 kB read every 2 s, so no read times out
        // (3 s per packet), but far too little to play: only stuck detection (here after
        // 700 ms without a frame) notices, and its restart opens a fresh connection.
        Mode(
            label: "trickle 500 B/s for 30 s at byte 300000 (stuck after 700 ms)",
            faults: [.trickle(atByte: 300_000, seconds: 30, bytesPerSecond: 500)],
            options: PlayerOptions(stuckThreshold: .milliseconds(700)), expectsStuck: true)
    ]

    /// `CADENCE_FAULT_MODES=paced` runs only the modes whose label contains "paced".
    static var selectedModes: [Mode] {
        guard let filter = ProcessInfo.processInfo.environment["CADENCE_FAULT_MODES"], !filter.isEmpty else { return modes }
        return modes.filter { $0.label.contains(filter) }
    }

    @Test func everyFaultModeIsANonEventAtTheVoiceServer() async throws {
        let chirp = try await ChirpTimeCode.mp3(seconds: 60)
        let runs = try await withThrowingTaskGroup(of: FaultRun.self) { group in
            for mode in Self.selectedModes {
                group.addTask { try await FaultRun.play(mode.label, file: chirp, faults: mode.faults, options: mode.options) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for mode in Self.selectedModes {
            let run = try #require(runs.first { $0.label == mode.label })
            print("listener, \(run.summary)")
            #expect(
                run.end.map { if case .finished(_, .endOfTrack) = $0 { true } else { false } } == true,
                "\(run.label): \(run.events)")
            #expect(abs(run.audioSeconds - 60) <= 0.100, "\(run.label): \(run.audioSeconds) s of audio")
            #expect(run.repeats.isEmpty, "\(run.label): audio repeated, time code jumps \(run.timeCode.jumps)")
            #expect(run.stream?.duplicates == 0, "\(run.label)")
            // Corrupt bytes are undecodable: the frames they hit are skipped (the rule),
            // a few frames' worth; every other mode loses nothing.
            let allowedSkip = run.label.contains("corrupt") ? 0.1 : 0.0
            #expect(run.skipped <= allowedSkip, "\(run.label): \(run.skipped) s of source lost, jumps \(run.timeCode.jumps)")
            #expect(abs((run.timeCode.startOffset ?? -1) - 0.15) <= 0.05, "\(run.label): starts at \(run.timeCode.startOffset ?? -1) s")
            #expect(run.longestPause <= 1.0, "\(run.label): longest pause \(run.longestPause) s")
            if run.label.hasPrefix("403") { #expect(run.refreshes >= 1, "\(run.label): never re-resolved") }
            if mode.expectsRecovery { #expect(run.recoveries >= 1, "\(run.label): the decoder never reopened") }
            #expect((run.stucks > 0) == mode.expectsStuck, "\(run.label): \(run.stucks) stuck events")
        }
    }
}
