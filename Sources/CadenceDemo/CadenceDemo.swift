import ArgumentParser
import AudioEngine
import DiscordVoice
import Foundation
import VoiceServerSim

/// `cadence-demo`: what `make run` does without a Discord token. Plays a generated sample
/// through the whole send path in real time (engine → RTP → encryption → loopback UDP → a
/// local voice server started in-process) and prints what the server heard.
///
/// It is its own executable so that the `cadence` binary a deployment installs carries no
/// simulator: the local voice server is test support, linked only here, in tests and in the
/// benchmark.
@main
struct CadenceDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cadence-demo",
        abstract: "Play a generated sample through the engine to a local voice server (no Discord token needed).")

    func run() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-demo-\(getpid())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sample = directory.appendingPathComponent("sample.wav")
        try DemoSample.write(to: sample)

        let server = VoiceServerSim()
        try await server.start()
        print("cadence demo: local voice server on \(server.endpoint) (UDP \(server.udpPort))")
        // The ids a main gateway would hand out; the channel is the server's, DAVE's MLS group.
        let identity = VoiceIdentity(
            guildID: "1", userID: "2", sessionID: "demo",
            channelID: "\(server.configuration.channelID)")
        let connection = VoiceConnection(identity: identity, server: VoiceServer(endpoint: server.endpoint, token: "demo"))
        try await connection.connect()
        print(
            "cadence demo: playing an 8 s generated sample: decode → 48 kHz stereo → Opus → ring → 20 ms pacer "
                + "→ RTP → AEAD → UDP → local voice server")
        let pacer = Pacer()
        let player = Player(sink: connection.sender, pacer: pacer)
        player.play(sample.path)
        var failure: String?
        for await event in player.events {
            if case let .failed(_, error) = event { failure = "\(error)" }
            if case .failed = event { break }
            if case .finished = event { break }
        }
        let stats = player.stats ?? PacingStats()
        _ = await server.waitUntil(timeout: 1) { $0.streams.first?.silenceFrames ?? 0 >= 5 }
        await connection.disconnect()
        pacer.shutdown()
        print(
            String(
                format: "frames sent %d · nulled %d · deficit %d · pacing p50 %.3f p99 %.3f max %.3f ms",
                stats.sent, stats.nulled, stats.deficit, stats.deviationMilliseconds(atPercentile: 0.5),
                stats.deviationMilliseconds(atPercentile: 0.99), stats.maxDeviationMilliseconds))
        let heard = server.report(includeAudio: false)
        await server.shutdown()
        print(heard.summary)
        if let failure { throw ValidationError("playback failed: \(failure)") }
    }
}
