import AudioEngine
import ArgumentParser
import Foundation

/// `cadence demo`: what `make run` does without a Discord token. Plays a generated sample
/// through the engine in real time and prints progress and the pacing figures.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a generated sample through the engine (no Discord token needed).")

    @Option(help: "Also write the emitted frames to this Ogg Opus file.")
    var out: String?

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-demo-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sample = directory.appendingPathComponent("sample.wav")
        try DemoSample.write(to: sample)

        print("cadence demo: playing an 8 s generated sample through the engine (decode → 48 kHz stereo → Opus → ring → 20 ms pacer)")
        let run = try PlaybackRun(out: out.map { URL(fileURLWithPath: $0) }, fast: false,
                                  options: PlayerOptions(), showProgress: true)
        let report = await run.play([sample.path], startMs: 0)
        try run.finish()
        print(report.summaryLine)
        if let error = report.firstError { throw CommandFailure(message: error.description) }
    }
}
