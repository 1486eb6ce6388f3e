import AudioEngine
import CMallocCount
import DAVE
import DiscordVoice
import Foundation
import VoiceServerSim

/// Heap allocations per frame on the pacer thread when it sends into Discord voice with DAVE:
/// one transcoding stream, in real time, to the local voice server, whose in-process listener
/// makes the call an MLS group so that every frame is DAVE-encrypted and then sealed for
/// transport. `CountingSink` wraps the connection's `RTPSender` and counts, on the pacer's
/// thread only, what each tick allocates and what `send` (DAVE, RTP, transport, `sendto`)
/// allocates. The server's threads are not counted.
enum SendPathAllocations {
    static func run(file: String) async throws -> ScenarioResult {
        var configuration = VoiceServerSim.Configuration()
        configuration.decodesAudio = false
        configuration.sendIgnorableOps = false
        let server = VoiceServerSim(configuration: configuration)
        try await server.start()
        let guild = "1", channel: UInt64 = 600_000_000_000_000_001, user = "200000000000000777"
        server.setVoiceChannel(channel, forUser: user, inGuild: guild)
        server.addDAVEListener(channelID: channel)
        let connection = VoiceConnection(
            identity: VoiceIdentity(guildID: guild, userID: user, sessionID: "bench-alloc", channelID: "\(channel)"),
            server: VoiceServer(endpoint: server.endpoint, token: "bench"))
        try await connection.connect()
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !connection.e2eeStatus.isActive { try await Task.sleep(for: .milliseconds(50)) }
        guard connection.e2eeStatus.isActive else { throw BenchFailure("DAVE never became active") }

        let window = 150..<650
        let sink = CountingSink(inner: connection.sender, window: window)
        let pacer = Pacer()
        let player = Player(sink: sink, pacer: pacer)
        player.play(file)
        let figures = try await Task.detached { () throws -> CountingSink.Figures in
            guard let figures = sink.figures(timeout: 60) else { throw BenchFailure("the window never passed") }
            return figures
        }.value
        player.stop()
        pacer.shutdown()
        let e2ee = connection.sender.statistics.e2eeFrames
        await connection.disconnect()
        await server.shutdown()
        guard e2ee >= window.count else { throw BenchFailure("only \(e2ee) frames went out DAVE-encrypted") }
        let frames = Double(max(1, figures.frames))
        let encryptorAllocations = try daveAllocationsPerFrame()
        var result = ScenarioResult(
            name: "engine cost: send path allocations (DAVE + transport, real time)", streams: 1, seconds: frames / 50)
        result.sent = figures.frames
        result.note =
            String(
                format:
                    "allocations per frame on the pacer thread: %.3f in the tick, of which %.3f in RTPSender.send (DAVE, RTP, transport, sendto); %d frames E2EE",
                Double(figures.pacerThread + figures.insideSend) / frames, Double(figures.insideSend) / frames, e2ee)
            + String(format: "; DAVE's FrameEncryptor alone: %.3f per frame", encryptorAllocations)
        return result
    }

    /// `FrameEncryptor.encrypt(_:into:)` alone, on this thread: its share of the send path.
    static func daveAllocationsPerFrame() throws -> Double {
        var encryptor = FrameEncryptor(ratchet: KeyRatchet(baseSecret: Array(0..<16)))
        let opus = [UInt8](repeating: 0x5A, count: 160)
        var out = [UInt8](repeating: 0, count: 400)
        let rounds = 1000
        let before = cadence_mallocs_this_thread()
        for _ in 0..<rounds {
            _ = try opus.withUnsafeBytes { frame in try out.withUnsafeMutableBytes { try encryptor.encrypt(frame, into: $0) } }
        }
        return Double(cadence_mallocs_this_thread() - before) / Double(rounds)
    }
}
