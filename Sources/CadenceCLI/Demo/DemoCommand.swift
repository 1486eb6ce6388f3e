import AudioEngine
import DiscordVoice
import VoiceServerSim
import ArgumentParser
import Foundation

/// `cadence demo`: what `make run` does without a Discord token. Plays a generated sample
/// through the whole send path in real time (engine → RTP → encryption → loopback UDP → a
/// local voice server started in-process) and prints what the server heard.
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

        let server = VoiceServerSim()
        try await server.start()
        print("cadence demo: local voice server on \(server.endpoint) (UDP \(server.udpPort))")
        let target = VoiceTarget.local(endpoint: server.endpoint, channelID: server.configuration.channelID)
        let connection = try await target.connect()
        print("cadence demo: playing an 8 s generated sample: decode → 48 kHz stereo → Opus → ring → 20 ms pacer "
            + "→ RTP → AEAD → UDP → local voice server")
        let run = try PlaybackRun(out: out.map { URL(fileURLWithPath: $0) }, fast: false,
                                  options: PlayerOptions(), showProgress: true, sink: connection.sender)
        let report = await run.play([sample.path], startMs: 0)
        try run.finish()
        _ = await server.waitUntil(timeout: 1) { $0.streams.first?.silenceFrames ?? 0 >= 5 }
        await connection.disconnect()
        print(report.summaryLine)
        let heard = server.report(includeAudio: false)
        await server.shutdown()
        print(heard.summary)
        if let error = report.firstError { throw CommandFailure(message: error.description) }
    }
}
