import NIOCore
import SimWebSocket

/// The voice gateway's WebSocket side: any path upgrades (the version is checked on open), and
/// each connection gets a heartbeat watchdog when the configuration asks for one.
extension VoiceServerSim: SimWebSocketServer {
    /// Listens on 127.0.0.1, any free port.
    func bindWebSocket() async throws -> any Channel {
        try await SimWebSocketHandler.bind(group: group, server: self, upgrades: { _ in true })
    }

    package func socketOpened(id: ObjectIdentifier, channel: any Channel, uri: String) {
        connectionOpened(id: id, channel: channel, uri: uri)
        let interval = configuration.heartbeatIntervalMs
        let limit = configuration.heartbeatTimeoutIntervals
        guard limit > 0 else { return }
        let period = TimeAmount.milliseconds(Int64(max(10, interval / 4)))
        let watchdog = channel.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { [weak self] _ in
            self?.checkHeartbeat(id: id, timeoutMs: interval * limit)
        }
        let kept = state.withLock { state -> Bool in
            guard state.connections[id] != nil else { return false }
            state.connections[id]?.watchdog = watchdog
            return true
        }
        if !kept { watchdog.cancel() }
    }

    package func socketReceived(text: String, id: ObjectIdentifier) { receiveText(text, id: id) }
    package func socketReceived(binary: [UInt8], id: ObjectIdentifier) { receiveBinary(binary, id: id) }
    package func socketClientClosed(id: ObjectIdentifier, code: Int) {}

    package func socketClosed(id: ObjectIdentifier) {
        state.withLock { $0.connections[id]?.watchdog }?.cancel()
        connectionClosed(id: id)
    }
}
