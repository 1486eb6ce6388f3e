import AudioDSP
import AudioEngine
import Foundation

/// What the engine's own work costs, one player at a time, offline (virtual time: the decoder
/// sets the pace, so nothing waits on a wall clock): CPU per stream for plain transcoding,
/// transcoding under a 5-band equalizer and timescale, a crossfade overlap, and passthrough;
/// and the heap allocations per frame of the decoder and pacer threads in the steady state.
///
/// Every figure is taken over a window of frames well inside the track (after start-up, before
/// the input ends), by `CountingSink` on the pacer's thread. The process is otherwise idle, so
/// its allocations in the window are the decoder's and the pacer's.
enum EngineCost {
    struct Setup: Sendable {
        var name: String
        var file: String
        var next: String?
        var filters = FilterSettings()
        var crossfadeSeconds = 0.0
        /// Frames of the window, counted from the first frame sent.
        var window: Range<Int>
    }

    /// 40 s fixtures, long enough for a 10 s window clear of start-up, the end and a 12 s overlap.
    static func setups(_ fixtures: Fixtures) -> [Setup] {
        let steady = 500..<1500
        // With a 12 s crossfade, A (40 s) and B overlap from 28 s to 40 s: frames 1400–2000.
        let overlap = 1450..<1950
        return [
            Setup(name: "transcode (MP3→Opus)", file: fixtures.mp3, window: steady),
            Setup(
                name: "transcode + EQ + timescale", file: fixtures.mp3,
                filters: FilterSettings(
                    equalizer: (0..<5).map { .init(band: $0, gain: 0.2) },
                    timescale: .init(speed: 1.25, pitch: 1.1, rate: 1)),
                window: steady),
            Setup(
                name: "crossfade overlap (12 s, MP3→Opus)", file: fixtures.mp3, next: fixtures.mp3, crossfadeSeconds: 12, window: overlap),
            Setup(name: "passthrough (WebM/Opus)", file: fixtures.webm, window: steady)
        ]
    }

    /// One row of the table per setup; the note gives CPU and allocations per frame.
    static func run(_ setup: Setup) throws -> ScenarioResult {
        let sink = CountingSink(window: setup.window)
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        // A short ring keeps the decoder within half a second of the pacer, so the window's
        // decoding is the window's own (and a crossfade's first decoder still runs in it).
        let player = Player(
            sink: sink, pacer: pacer, options: PlayerOptions(ringCapacity: 25, stuckThreshold: .seconds(600)), unpaced: true)
        try player.setFilters(setup.filters)
        player.crossfadeSeconds = setup.crossfadeSeconds
        player.play(TrackSource(location: setup.file))
        if let next = setup.next, !player.setNext(TrackSource(location: next)) { throw BenchFailure("\(setup.name): setNext refused") }
        guard let figures = sink.figures(timeout: 300) else { throw BenchFailure("\(setup.name): the window never passed") }
        player.stop()
        let frames = Double(max(1, figures.frames))
        let audioSeconds = frames / 50
        var result = ScenarioResult(name: "engine cost: \(setup.name)", streams: 1, seconds: audioSeconds)
        result.sent = figures.frames
        result.cpuSecondsPerStreamMinute = figures.cpuSeconds / (audioSeconds / 60)
        let pacerPerFrame = Double(figures.pacerThread + figures.insideSend) / frames
        let othersPerFrame = Double(figures.process - figures.pacerThread - figures.insideSend) / frames
        let libavPerFrame = Double(figures.libav) / frames
        result.note = String(
            format:
                "%.2f %% of a core; allocations per frame: %.3f on the pacer thread, %.3f elsewhere (the decoder), "
                + "of which %.3f by libav's allocator and %.3f by the rest, over %d frames",
            figures.cpuSeconds / audioSeconds * 100, pacerPerFrame, othersPerFrame, libavPerFrame, othersPerFrame - libavPerFrame,
            figures.frames)
        return result
    }
}
