import ArgumentParser
import AudioDSP
import AudioEngine
import Foundation
import Resolver
import Store

/// `cadence play`: runs sources through the whole engine and records what the pacer emitted.
struct PlayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "play",
        abstract: "Play files or URLs through the engine, writing the paced Opus frames to an Ogg file.")

    @Argument(help: "Files or URLs, queued and played one after another without a gap.")
    var sources: [String]

    @Option(help: "Write the emitted frames to this Ogg Opus file.")
    var out: String?

    @Flag(help: "Run without real-time pacing (as fast as the decoder goes).")
    var fast = false

    @Option(help: "Volume in percent, 0–1000 (100 is unity).")
    var volume: Double = 100

    @Option(
        help: ArgumentHelp(
            "Lavalink's filters object, as JSON or @FILE (e.g. '{\"timescale\":{\"speed\":1.25}}').",
            valueName: "json|@file"))
    var filters: String?

    @Option(help: "Crossfade between queued sources, seconds 0–12 (0, the default, is gapless).")
    var crossfade: Double = 0

    @Option(
        name: .customLong("normalize"),
        help: ArgumentHelp(
            "Loudness normalisation (EBU R128) to this target, -23 to -10 LUFS; a bare --normalize is -14. Measurements are kept in the database when one is configured.",
            valueName: "lufs"))
    var normalize: String?

    @Option(help: "Start this many seconds into the (first) source.")
    var seek: Double = 0

    @Option(name: .customLong("stats-json"), help: "Write the run's figures as JSON to this file.")
    var statsJSON: String?

    @Option(help: "libopus complexity, 0–10.")
    var complexity: Int32 = 10

    @Option(
        name: .customLong("metrics-db"),
        help: "Record each track's frame stats in this database (default: $CADENCE_DB when set).")
    var metricsDB: String?

    @Flag(
        help:
            "Resolve each source through yt-dlp first (words become a search); resolutions are kept in the database when one is configured."
    )
    var resolve = false

    @Flag(help: "With --resolve: allow loopback and private addresses (tests, local servers).")
    var allowPrivateNetwork = false

    @Flag(help: "No progress bar.")
    var quiet = false

    @OptionGroup(title: "Stream to a voice server")
    var voice: VoiceTarget

    func validate() throws {
        guard (0...1000).contains(volume) else { throw ValidationError("--volume must be 0–1000") }
        guard seek >= 0 else { throw ValidationError("--seek must not be negative") }
        guard (0...10).contains(complexity) else { throw ValidationError("--complexity must be 0–10") }
        if voice.isRequested, fast { throw ValidationError("--fast cannot stream to a voice server (real time only)") }
        if let filters { _ = try FilterOption.parse(filters) }
        try LoudnessOption.checkCrossfade(crossfade)
        if let normalize { _ = try LoudnessOption.normalization(normalize) }
    }

    func run() async throws {
        let options = PlayerOptions(complexity: complexity, volume: volume / 100)
        let connection = voice.isRequested ? try await voice.connect() : nil
        let run = try PlaybackRun(
            out: out.map { URL(fileURLWithPath: $0) }, fast: fast, options: options,
            showProgress: !quiet, sink: connection?.sender)
        if let filters { try run.player.setFilters(try FilterOption.parse(filters)) }
        run.player.crossfadeSeconds = crossfade
        if let normalize { run.player.normalization = try LoudnessOption.normalization(normalize) }
        var database: AppDatabase?
        if let path = metricsDB ?? ProcessInfo.processInfo.environment["CADENCE_DB"].flatMap({ $0.isEmpty ? nil : $0 }) {
            do {
                database = try AppDatabase(path: path)
            } catch {
                throw CommandFailure(message: "cannot open the database \(path): \(error)")
            }
            run.metrics = database.map { MetricsWriter(database: $0) }
            run.loudnessCache = database.map { TrackLoudnessRepository(database: $0) }
        }
        if resolve { run.resolver = PlaybackRun.makeResolver(database: database, allowPrivateNetwork: allowPrivateNetwork) }
        let report = await run.play(sources, startMs: Int64(seek * 1000))
        try run.finish()
        await connection?.disconnect()
        FileHandle.standardError.write(Data((report.summaryLine + "\n").utf8))
        if let statsJSON { try report.json().write(to: URL(fileURLWithPath: statsJSON)) }
        if let error = report.firstError { throw CommandFailure(message: error.description) }
    }
}
