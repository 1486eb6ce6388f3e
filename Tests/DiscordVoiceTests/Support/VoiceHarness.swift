import AudioEngine
import CadenceTestSupport
import DiscordVoice
import Foundation
import VoiceServerSim

/// A local voice server, a connection to it and a player into that connection: the whole
/// send path as a test sets it up.
final class VoiceHarness: Sendable {
    let server: VoiceServerSim
    let connection: VoiceConnection
    let pacer = Pacer()
    let player: Player
    /// The channel id is DAVE's MLS group id: the channel the server puts this user in.
    let identity: VoiceIdentity

    init(server configuration: VoiceServerSim.Configuration = .init(), options: VoiceConnection.Options = .init()) async throws {
        identity = VoiceIdentity(
            guildID: "41771983423143937", userID: "104694319306248192",
            sessionID: "session-\(UUID().uuidString.prefix(8))", channelID: "\(configuration.channelID)")
        server = VoiceServerSim(configuration: configuration)
        try await server.start()
        connection = VoiceConnection(
            identity: identity, server: VoiceServer(endpoint: server.endpoint, token: "token-1"),
            options: options)
        player = Player(sink: connection.sender, pacer: pacer)
    }

    func connect() async throws { try await connection.connect() }

    /// Plays `source` and returns when the player reports its end.
    func playToEnd(_ source: String, timeout: Duration = .seconds(120)) async throws -> PlayerEvent {
        player.play(source)
        return try await nextEnd(timeout: timeout)
    }

    func nextEnd(timeout: Duration) async throws -> PlayerEvent {
        let player = player
        return try await withThrowingTaskGroup(of: PlayerEvent.self) { group in
            group.addTask {
                for await event in player.events {
                    switch event {
                    case .finished, .failed: return event
                    default: continue
                    }
                }
                throw CancellationError()
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw CancellationError()
            }
            let result = try await group.next()!
            group.cancelAll()
            return result
        }
    }

    /// Waits until the server has received `frames` packets on its newest stream.
    func waitForFrames(_ frames: Int, timeout: Double = 10) async -> Bool {
        await server.waitUntil(timeout: timeout) { report in
            report.streams.reduce(0) { $0 + $1.audioFrames } >= frames
        }
    }

    func shutdown() async {
        await connection.disconnect()
        pacer.shutdown()
        await server.shutdown()
    }
}

/// Test media made with ffmpeg at test time.
enum VoiceFixtures {
    static func tone(seconds: Double, frequency: Int = 440) async throws -> URL {
        let directory = try Tools.temporaryDirectory("voice")
        let url = directory.appendingPathComponent("tone-\(frequency)-\(seconds).wav")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "sine=frequency=\(frequency):sample_rate=48000:duration=\(seconds)",
            "-ac", "2", "-ar", "48000", url.path
        ])
        return url
    }
}
