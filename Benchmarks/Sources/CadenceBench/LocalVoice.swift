import DiscordVoice
import Foundation
import VoiceServerSim

/// The local voice server with N client connections to it, each its own WebSocket session,
/// UDP socket and AEAD key, as N guilds would have.
struct LocalVoice {
    let server: VoiceServerSim
    let connections: [VoiceConnection]

    /// Connects in batches so a thousand handshakes do not all time out at once.
    static func start(streams: Int) async throws -> LocalVoice {
        var configuration = VoiceServerSim.Configuration()
        // Decrypt, check and count every packet, but keep no PCM: memory stays the client's.
        configuration.decodesAudio = false
        configuration.sendIgnorableOps = false
        let server = VoiceServerSim(configuration: configuration)
        try await server.start()
        var connections: [VoiceConnection] = []
        let batch = 50
        for first in stride(from: 0, to: streams, by: batch) {
            let made = try await withThrowingTaskGroup(of: VoiceConnection.self) { group in
                for index in first..<min(streams, first + batch) {
                    group.addTask {
                        var options = VoiceConnection.Options()
                        options.handshakeTimeout = 30
                        // The plain-transport scenarios measure Cadence without DAVE.
                        options.maxDAVEProtocolVersion = 0
                        let connection = VoiceConnection(
                            identity: VoiceIdentity(guildID: "\(index + 1)", userID: "\(100_000 + index)", sessionID: "bench-\(index)"),
                            server: VoiceServer(endpoint: server.endpoint, token: "bench"), options: options)
                        try await connection.connect()
                        return connection
                    }
                }
                var out: [VoiceConnection] = []
                for try await connection in group { out.append(connection) }
                return out
            }
            connections += made
        }
        return LocalVoice(server: server, connections: connections)
    }

    /// Waits until the server has seen every stream go quiet, then closes everything.
    func finish() async -> VoiceServerReport {
        _ = await server.waitUntil(timeout: 2) { report in
            report.streams.count >= connections.count && report.streams.allSatisfy { $0.silenceFrames >= 5 }
        }
        let report = server.report(includeAudio: false)
        for connection in connections { await connection.disconnect() }
        await server.shutdown()
        return report
    }

    /// Fills the server-side figures of `result` from the server's report.
    static func apply(_ report: VoiceServerReport, to result: inout ScenarioResult) {
        let streams = report.streams
        result.arrivalP50 = streams.map(\.jitterP50Ms).percentile(0.5)
        result.arrivalP99 = streams.map(\.jitterP99Ms).filter { $0 <= 1e6 }.max() ?? 0
        result.arrivalMax = streams.map(\.jitterMaxMs).filter { $0 <= 1e6 }.max() ?? 0
        // The server computes gaps from kernel arrival stamps; an out-of-order stamp wraps to
        // ~1.8e13 ms. Such values are dropped here and counted in the note, not hidden.
        let gaps = streams.map(\.longestGapMs)
        let wrapped = streams.filter { $0.longestGapMs > 1e6 || $0.jitterP99Ms > 1e6 || $0.jitterMaxMs > 1e6 }.count
        result.longestGapMs = gaps.filter { $0 <= 1e6 }.max() ?? 0
        if wrapped > 0 {
            result.note +=
                (result.note.isEmpty ? "" : "; ")
                + "\(wrapped) stream(s) had a wrapped gap or jitter figure from the server (out-of-order arrival stamps), left out"
        }
        result.serverPackets = streams.reduce(0) { $0 + $1.packets }
        result.decryptFailures = streams.reduce(0) { $0 + $1.decryptFailures }
    }
}
