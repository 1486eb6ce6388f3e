import AudioEngine
import CadenceTestSupport
import DiscordVoice
import Foundation
import VoiceServerSim

/// Cadence as one member of the lab's channel: a real `VoiceConnection` (DAVE on, channel id
/// matching the server's group) with a player feeding it, beside the Python peers.
final class DAVECadenceMember: Sendable {
    let connection: VoiceConnection
    let pacer = Pacer()
    let player: Player
    let userID: String

    /// `channelID`: the group id Cadence is told to use; the server's channel unless a test
    /// reproduces a client that got it wrong.
    init(
        server: VoiceServerSim, userID: String = "104694319306248192", options: VoiceConnection.Options = .init(),
        channelID: String? = nil
    ) {
        self.userID = userID
        let identity = VoiceIdentity(
            guildID: DAVELab.guildID, userID: userID,
            sessionID: "cadence-\(UUID().uuidString.prefix(8))",
            channelID: channelID ?? "\(server.configuration.channelID)")
        connection = VoiceConnection(
            identity: identity, server: VoiceServer(endpoint: server.endpoint, token: "token-1"),
            options: options)
        player = Player(sink: connection.sender, pacer: pacer)
    }

    func connect() async throws { try await connection.connect() }

    var status: VoiceE2EE.Status { connection.e2eeStatus }

    /// Waits until Cadence encrypts with a group of `epoch` (or any epoch when nil).
    func waitUntilActive(epoch: UInt64? = nil, timeout: Double = 15) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let status = connection.e2eeStatus
            if status.isActive && (epoch == nil || status.epoch == epoch) { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return false
    }

    /// Plays a tone of `seconds` to its end (the player then sends the silence tail).
    func playTone(seconds: Double, frequency: Int = 440) async throws {
        let tone = try await VoiceFixtures.tone(seconds: seconds, frequency: frequency)
        let player = player
        player.play(tone.path)
        for await event in player.events {
            switch event {
            case .finished, .failed: return
            default: continue
            }
        }
    }

    func shutdown() async {
        await connection.disconnect()
        pacer.shutdown()
    }
}
