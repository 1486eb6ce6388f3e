import AudioEngine
import Foundation
import MediaServerSim
import Synchronization
import VoiceServerSim

/// One fault mode played end to end, and what the listener at the voice server noticed.
struct FaultRun: Sendable {
    let label: String
    let events: [PlayerEvent]
    let stream: VoiceServerReport.Stream?
    let timeCode: ChirpTimeCode
    let recoveries: Int
    let refreshes: Int
    let requests: Int

    var stucks: Int { events.filter { if case .stuck = $0 { true } else { false } }.count }
    var end: PlayerEvent? { events.last }
    /// Seconds of audio received (silence frames excluded).
    var audioSeconds: Double { Double(stream?.audioFrames ?? 0) * 0.020 }
    /// Pauses the listener heard: arrival gaps between packets, less the 20 ms a frame lasts.
    var pausesSeconds: [Double] { (stream?.gaps ?? []).map { ($0.milliseconds - 20) / 1000 } }
    var longestPause: Double { pausesSeconds.max() ?? 0 }
    var repeats: [Double] { timeCode.jumps.filter { $0 < 0 } }
    var skipped: Double { timeCode.jumps.filter { $0 > 0 }.reduce(0, +) }

    var summary: String {
        String(
            format: "%@: %@, %.3f s audio (error %+.0f ms), %d pauses > 20 ms, longest %.3f s, repeats %d, skipped %.3f s, "
                + "start %.2f s, recoveries %d, refreshes %d, stuck %d, requests %d, %d duplicates",
            label, end.map { ListeningRig.isEnd($0) ? "\($0)" : "DID NOT END" } ?? "no event", audioSeconds, (audioSeconds - 60) * 1000,
            pausesSeconds.count, longestPause, repeats.count, skipped,
            timeCode.startOffset ?? -1, recoveries, refreshes, stucks, requests, stream?.duplicates ?? -1)
    }

    /// Serves `file` with `faults` and plays it to its end through a fresh rig. The source's
    /// refresh is the fake resolver: it hands out a URL with a new token, as yt-dlp would.
    static func play(
        _ label: String, file: Data, faults: [MediaFault], contentType: String = "audio/mpeg",
        options: PlayerOptions = PlayerOptions()
    ) async throws -> FaultRun {
        let rig = try await ListeningRig.start(options: options)
        let name = "chirp.mp3"
        rig.media.add(name, data: file, contentType: contentType)
        rig.media.setFaults(faults, for: name)
        let refreshes = Atomic<Int>(0)
        let media = rig.media
        let source = TrackSource(location: media.url(name)) {
            refreshes.add(1, ordering: .relaxed)
            return TrackSource(location: media.freshURL(name))
        }
        let events = await rig.play(source)
        let recoveries = rig.player.recoveries
        let report = await rig.heard()
        let stream = report.streams.first
        let audioFrames = stream?.audioFrames ?? 0
        // Only the audio frames carry time code; the silence tail is left out.
        let left = Array((stream?.leftChannel ?? []).prefix(audioFrames * 960))
        let run = FaultRun(
            label: label, events: events, stream: stream, timeCode: ChirpTimeCode(left: left),
            recoveries: recoveries, refreshes: refreshes.load(ordering: .relaxed),
            requests: media.requestCount(name))
        await rig.shutdown()
        return run
    }
}
