import Logging
import NIOWebSocket
import WSClient

/// The skeleton both Discord WebSocket clients share (the bot gateway in `DiscordGateway`, the
/// voice gateway in `DiscordVoice`): one outbox drained by one task, a heartbeat on the interval
/// the server's Hello gives, a deadline for the handshake, and the socket's end mapped to a
/// close code. What the frames mean stays with each protocol.
///
/// Public face (package access, for the two Discord clients only):
/// - `WebSocketSession.run(url:maxFrameSize:logger:_:)` opens the socket and reports its end;
/// - `WebSocketSession.serve(drain:heartbeat:deadline:read:)` runs a session's four tasks until
///   the first ends;
/// - `Outbox`, `Heartbeat`, `HandshakeDeadline`, and `UInt16(closeCode:)`.
///
/// Guarantees: nothing is written to the socket except by the outbox's one drain task, in the
/// order items were queued; a session ends when any of its tasks ends, and the others are
/// cancelled.
package enum WebSocketSession {
    /// How the socket ended: the close code the server sent (nil when none came) and, when the
    /// socket failed without one, why.
    package struct Ending: Sendable, Equatable {
        package var closeCode: Int?
        package var failure: String?
    }

    /// Opens `url` and runs `body` on the open socket; returns how the socket ended.
    package static func run(
        url: String, maxFrameSize: Int, logger: Logger,
        _ body: @escaping @Sendable (WebSocketInboundStream, WebSocketOutboundWriter) async throws -> Void
    ) async -> Ending {
        let configuration = WebSocketClientConfiguration(maxFrameSize: maxFrameSize, closeTimeout: .seconds(1))
        let client = WebSocketClient(url: url, configuration: configuration, logger: logger) { inbound, outbound, _ in
            try await body(inbound, outbound)
        }
        do {
            if let frame = try await client.run() { return Ending(closeCode: Int(UInt16(closeCode: frame.closeCode))) }
            return Ending()
        } catch {
            return Ending(failure: "\(error)")
        }
    }

    /// Runs a session's tasks (outbox drain, heartbeat, handshake deadline, reader) until the
    /// first returns or throws, then cancels the rest: the reader ending (the socket closed) or
    /// the drain ending (a close frame went out) ends the session.
    package static func serve(
        drain: @escaping @Sendable () async throws -> Void, heartbeat: @escaping @Sendable () async throws -> Void,
        deadline: @escaping @Sendable () async throws -> Void, read: @escaping @Sendable () async throws -> Void
    ) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask(operation: drain)
            group.addTask(operation: heartbeat)
            group.addTask(operation: deadline)
            group.addTask(operation: read)
            _ = try await group.next()
            group.cancelAll()
        }
    }
}

extension UInt16 {
    /// The numeric WebSocket close code (RFC 6455 §7.4), as Discord's close-code tables use it.
    package init(closeCode code: WebSocketErrorCode) {
        switch code {
        case .normalClosure: self = 1000
        case .goingAway: self = 1001
        case .protocolError: self = 1002
        case .unacceptableData: self = 1003
        case .dataInconsistentWithMessage: self = 1007
        case .policyViolation: self = 1008
        case .messageTooLarge: self = 1009
        case .missingExtension: self = 1010
        case .unexpectedServerError: self = 1011
        case let .unknown(value): self = value
        }
    }
}
