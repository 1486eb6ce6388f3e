import CadenceTestSupport
import DAVEPeers
import Foundation
import Testing
import VoiceServerSim

/// `cadence play --voice-endpoint … --channel-id` against a voice server that requires DAVE,
/// with davey and Discord's libdave already in the channel: the ids a person copies from the
/// main gateway are enough for the other members to hear Cadence.
@Suite(.serialized, DAVEPeer.available)
struct PlayVoiceDAVETimingTests {
    static let guildID = "610000000000000001", channelID: UInt64 = 610_000_000_000_000_002
    static let userID = "610000000000000003"

    static func server() async throws -> VoiceServerSim {
        var configuration = VoiceServerSim.Configuration()
        configuration.requireDAVE = true
        configuration.channelID = channelID
        configuration.e2eeCaptureLimit = 2_000
        // Cadence leaves when its track ends; the peers decrypt its frames during the grace
        // before the server removes it from the group (and they drop its keys).
        configuration.leaveGrace = 5
        let server = VoiceServerSim(configuration: configuration)
        try await server.start()
        return server
    }

    static func arguments(_ tone: URL, _ server: VoiceServerSim, channel: Bool = true) -> [String] {
        [
            "play", tone.path, "--quiet", "--voice-endpoint", server.endpoint, "--guild-id", guildID, "--user-id", userID,
            "--session-id", "cli-session-1", "--token", "cli-token"
        ] + (channel ? ["--channel-id", "\(channelID)"] : [])
    }

    @Test func bothPeersDecryptWhatCadencePlayedAt440Hz() async throws {
        let directory = try Tools.temporaryDirectory("cli-dave")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = directory.appendingPathComponent("tone.mp3")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000:duration=5", "-ac", "2",
            "-c:a", "libmp3lame", tone.path
        ])
        let server = try await Self.server()
        let peers = try await DAVEPeer.pair(in: Self.channelID, guildID: Self.guildID, server: server)

        let result = try await Tools.runOffPool(Tools.cadenceExecutable.path, Self.arguments(tone, server))
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        _ = await server.waitUntil(timeout: 3) { ($0.stream(of: Self.userID)?.silenceFrames ?? 0) >= 5 }
        let stream = try #require(server.report().stream(of: Self.userID))
        try await DAVEPeer.expect(peers, decrypt: stream, from: Self.userID, atLeast: 200)
        #expect(!server.report(includeAudio: false).dave.invalidReceived.contains(Self.userID), "Cadence sent op 31")
        for peer in peers { await peer.quit() }
        await server.shutdown()
    }

    @Test func withoutChannelIDItRefusesBeforeConnectingAndSaysWhatIsMissing() async throws {
        let directory = try Tools.temporaryDirectory("cli-dave-usage")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = directory.appendingPathComponent("tone.wav")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", tone.path])
        let server = try await Self.server()
        let result = try await Tools.runOffPool(Tools.cadenceExecutable.path, Self.arguments(tone, server, channel: false))
        let stderr = String(decoding: result.stderr, as: UTF8.self)
        #expect(result.status == 2, "\(stderr)")
        #expect(stderr.contains("--channel-id"), "\(stderr)")
        #expect(server.report(includeAudio: false).gateway.connections == 0)
        await server.shutdown()
    }
}
