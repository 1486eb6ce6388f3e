import DAVE
import Foundation
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WSClient
import WebSocketSession

/// One voice WebSocket from open to close: identify or resume, heartbeat, the UDP handshake,
/// and speaking updates. It never reconnects; it reports how it ended and the connection
/// decides what comes next.
///
/// Everything the session writes goes through one outbox, drained by one task, so op 5 is
/// always on the wire before the sender's gate opens. A burst's op 5 is queued a tick before
/// its first packet (the pacer's rule), so no packet ever waits for this socket.
/// DAVE messages (JSON ops 11–24 and the binary ops 25–30) go to the connection's `VoiceE2EE`,
/// which outlives the session; binary sequence numbers count towards `seq_ack` like JSON ones.
final class VoiceGatewaySession: Sendable {
    enum Start: Sendable, Equatable {
        case identify
        case resume(seqAck: Int)
    }

    /// How a session ended.
    enum End: Sendable, Equatable {
        /// The server closed with this code (1006 when the socket just died).
        case closed(code: Int)
        /// Heartbeats went unacknowledged; we closed to resume.
        case missedHeartbeats
        /// The handshake did not complete in time; we closed.
        case handshakeTimedOut
        /// The connection asked the session to close (stop, move).
        case requested
        /// The socket could not be opened or failed in a way that carried no close code.
        case failed(String)
    }

    /// What a completed handshake produced.
    struct Established: Sendable {
        var ssrc: UInt32
        var mode: EncryptionMode
        var resumed: Bool
    }

    enum Outgoing: Sendable {
        case message(VoiceGatewayClientMessage)
        /// A DAVE binary frame (opcode byte + payload).
        case binary([UInt8])
        case speaking(Bool)
        case establish(Established, route: RTPSender.Route?)
        case close(code: Int, end: End)
    }

    struct State {
        var lastSeq = -1
        var unacked = 0
        var lastNonce: Int64 = 0
        var end: End?
        var established = false
        var ssrc: UInt32 = 0
        var lastHeartbeatAck: ContinuousClock.Instant?
        /// When the heartbeat with `lastNonce` went out, and how long its ack took.
        var lastHeartbeatSent: ContinuousClock.Instant?
        var roundTrip: Duration?
    }

    let url: String
    let identity: VoiceIdentity
    let token: String
    let start: Start
    let options: VoiceConnection.Options
    let sender: RTPSender
    let e2ee: VoiceE2EE
    let onEstablished: @Sendable (Established) -> Void
    let state = Mutex(State())
    let pendingRoute = Mutex<PendingRoute?>(nil)
    let outbox = Outbox<Outgoing>()
    let logger: Logger

    init(
        url: String, identity: VoiceIdentity, token: String, start: Start, options: VoiceConnection.Options,
        sender: RTPSender, e2ee: VoiceE2EE, logger: Logger, onEstablished: @escaping @Sendable (Established) -> Void
    ) {
        self.e2ee = e2ee
        self.url = url
        self.identity = identity
        self.token = token
        self.start = start
        self.options = options
        self.sender = sender
        self.logger = logger
        self.onEstablished = onEstablished
        if case let .resume(seqAck) = start { state.withLock { $0.lastSeq = seqAck } }
    }

    /// The last `seq` seen, for a later resume.
    var lastSeq: Int { state.withLock { $0.lastSeq } }

    /// Asks the session to close with `code`; `run` then returns `end`.
    func close(code: Int, end: End) { outbox.send(.close(code: code, end: end)) }

    /// How long the latest acknowledged heartbeat took to be acknowledged; nil before the first ack.
    var heartbeatRoundTrip: Duration? { state.withLock { $0.roundTrip } }

    /// Queues op 5 (called from the sender's speaking handler).
    func announceSpeaking(_ speaking: Bool) { outbox.send(.speaking(speaking)) }

    /// Runs the socket to its end.
    func run() async -> End {
        let ending = await WebSocketSession.run(url: url, maxFrameSize: 1 << 20, logger: logger) { inbound, outbound in
            try await self.handle(inbound: inbound, outbound: outbound)
        }
        outbox.finish()
        if let end = state.withLock({ $0.end }) { return end }
        if let closeCode = ending.closeCode { return .closed(code: closeCode) }
        // A socket that dies without a close frame is 1006 by definition; one that never opened is a failure.
        return state.withLock { $0.established } || ending.failure == nil ? .closed(code: 1006) : .failed(ending.failure ?? "")
    }

    private func handle(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (hello, helloInput) = AsyncStream.makeStream(of: Double.self, bufferingPolicy: .bufferingNewest(1))
        switch start {
        case .identify:
            outbox.send(
                .message(
                    .identify(
                        serverID: identity.guildID, userID: identity.userID,
                        sessionID: identity.sessionID, token: token,
                        maxDAVEVersion: e2ee.isAvailable ? options.maxDAVEProtocolVersion : 0)))
        case let .resume(seqAck):
            outbox.send(
                .message(
                    .resume(
                        serverID: identity.guildID, sessionID: identity.sessionID,
                        token: token, seqAck: seqAck)))
        }
        let timeout = options.handshakeTimeout
        try await WebSocketSession.serve(
            drain: { try await self.outbox.drain { try await self.write($0, to: outbound) } },
            heartbeat: { try await Heartbeat.run(hello: hello, minimum: 0.05, firstAt: 0.05...1) { self.beat() } },
            deadline: {
                try await HandshakeDeadline.run(seconds: timeout, isDone: { self.state.withLock { $0.established } }) {
                    self.close(code: 4000, end: .handshakeTimedOut)
                }
            },
            read: {
                for try await message in inbound.messages(maxSize: 1 << 20) {
                    switch message {
                    case let .text(text): try await self.receive(text, hello: helloInput)
                    case let .binary(buffer): self.receive(binary: Array(buffer.readableBytesView))
                    }
                }
            })
    }

    /// Writes one outbox item; false once the close frame went out.
    private func write(_ item: Outgoing, to outbound: WebSocketOutboundWriter) async throws -> Bool {
        switch item {
        case let .message(message):
            try await outbound.write(.text(message.json))
        case let .binary(bytes):
            try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
        case let .speaking(on):
            let ssrc = state.withLock { $0.ssrc }
            guard ssrc != 0 || state.withLock({ $0.established }) else { return true }
            try await outbound.write(.text(VoiceGatewayClientMessage.speaking(flags: on ? 1 : 0, ssrc: ssrc).json))
        case let .establish(established, route):
            // Register the SSRC (and the current speaking state) before any media can flow.
            let speaking = sender.isSpeaking
            try await outbound.write(
                .text(
                    VoiceGatewayClientMessage.speaking(
                        flags: speaking ? 1 : 0,
                        ssrc: established.ssrc
                    ).json))
            if let route { sender.install(route) } else { sender.reopen() }
            state.withLock { $0.established = true }
            onEstablished(established)
        case let .close(code, end):
            state.withLock { if $0.end == nil { $0.end = end } }
            sender.suspend()
            try await outbound.close(WebSocketErrorCode(codeNumber: code), reason: nil)
            return false
        }
        return true
    }
}
