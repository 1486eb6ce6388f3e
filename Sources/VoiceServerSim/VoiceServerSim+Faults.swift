import Foundation
import NIOCore

/// Misbehaviour on request, for recovery tests.
extension VoiceServerSim {
    /// Closes every open voice WebSocket with `code` (any code, e.g. 4006, 4014, 4021).
    package func close(code: Int) {
        for id in state.withLock({ Array($0.connections.keys) }) { close(id: id, code: code) }
    }

    /// Drops every open voice WebSocket without a close frame: the client sees 1006.
    package func dropConnections() {
        for channel in state.withLock({ $0.connections.values.map(\.channel) }) { channel.close(promise: nil) }
    }

    /// Stops (or restarts) answering heartbeats with op 6.
    package func setHeartbeatAcks(_ enabled: Bool) { state.withLock { $0.ackHeartbeats = enabled } }

    /// Discards every media packet that arrives in the next `seconds`.
    package func dropUDP(forSeconds seconds: Double) {
        state.withLock { $0.dropUDPUntil = SimClock.nanoseconds() + UInt64(seconds * 1e9) }
    }

    /// Delays every server message by `seconds` from now on (0 turns it off).
    package func setMessageDelay(_ seconds: Double) { state.withLock { $0.messageDelay = seconds } }

    /// The endpoint change path: closes every client here with 4014 (as Discord does when it
    /// moves a call) and returns what the main gateway's VOICE_SERVER_UPDATE would carry for
    /// `other`. The caller hands that to the client.
    package func moveClients(to other: VoiceServerSim, token: String = "moved-\(UUID().uuidString.prefix(8))")
        -> (endpoint: String, token: String)
    {
        close(code: 4014)
        return (other.endpoint, token)
    }

    /// Number of open voice WebSockets.
    package var openConnections: Int { state.withLock { $0.connections.count } }
}
