import AudioEngine
import CadenceTestSupport
import Foundation

/// Queues files on one player, plays them offline into an Ogg file (as `cadence play --out
/// --fast` does) and decodes that file with ffmpeg, as an independent listener would.
struct QueuedPlayback {
    let events: [PlayerEvent]
    /// Interleaved stereo at 48 kHz, decoded by ffmpeg from the Ogg file.
    let stereo: [Float]

    var left: [Float] { stride(from: 0, to: stereo.count, by: 2).map { stereo[$0] } }
    var right: [Float] { stride(from: 1, to: stereo.count, by: 2).map { stereo[$0] } }
    var frameCount: Int { stereo.count / 2 }

    static func run(_ files: [URL], in directory: URL, options: PlayerOptions = PlayerOptions()) async throws
        -> QueuedPlayback
    {
        let out = directory.appendingPathComponent("queued-out.ogg")
        let sink = try OggFileSink(url: out)
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: options, unpaced: true)
        player.play(files[0].path)
        for file in files.dropFirst() { player.enqueue(TrackSource(location: file.path)) }
        var events: [PlayerEvent] = []
        var ended = 0
        for await event in player.events {
            events.append(event)
            switch event {
            case .finished, .failed: ended += 1
            default: break
            }
            if ended == files.count { break }
        }
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        try sink.close()
        return QueuedPlayback(events: events, stereo: try await decode(out, in: directory))
    }

    /// ffmpeg's decode of `file` as 48 kHz interleaved stereo float.
    static func decode(_ file: URL, in directory: URL, rate: Int = 48_000) async throws -> [Float] {
        let raw = directory.appendingPathComponent(file.lastPathComponent + ".f32")
        try await Tools.ffmpeg(["-i", file.path, "-f", "f32le", "-ac", "2", "-ar", "\(rate)", raw.path])
        return try Data(contentsOf: raw).withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
    }
}

/// Where a boundary between two queued tracks sits, as a listener measures it.
enum BoundaryAnalysis {
    /// The offset (samples) between stereo `output` and `reference` (both interleaved) around
    /// frame `index`: 0 when the 50 ms before and after it line up with the reference exactly
    /// there. Both channels count, so the 997 Hz tone sharpens what the chirp identifies.
    static func offset(of output: [Float], against reference: [Float], at index: Int, window: Int = 2_400)
        -> (before: Int, after: Int)
    {
        func measure(_ start: Int) -> Int {
            var best = 0, bestScore = -Double.infinity
            for shift in -64...64 {
                let from = start + shift
                guard from >= 0, (from + window) * 2 <= reference.count, (start + window) * 2 <= output.count else { continue }
                var dot = 0.0, energy = 0.0
                for i in (start * 2)..<((start + window) * 2) {
                    let r = Double(reference[i + shift * 2])
                    dot += Double(output[i]) * r
                    energy += r * r
                }
                let score = energy > 0 ? dot / energy.squareRoot() : 0
                if score > bestScore {
                    bestScore = score
                    best = shift
                }
            }
            return best
        }
        return (measure(index - window), measure(index))
    }

    /// The longest run (samples) of both channels below -60 dBFS within 50 ms of `index`.
    static func longestSilence(left: [Float], right: [Float], around index: Int, window: Int = 2_400) -> Int {
        var longest = 0, run = 0
        for i in max(0, index - window)..<min(left.count, index + window) {
            if abs(left[i]) < 0.001 && abs(right[i]) < 0.001 {
                run += 1
                longest = max(longest, run)
            } else {
                run = 0
            }
        }
        return longest
    }
}
