import Foundation
import Logging
import NIOWebSocket
import Synchronization
import WSClient

/// One gateway WebSocket from open to close: Hello, Identify or Resume, heartbeats, and the
/// frames in between. It never reconnects; it reports how it ended and `GatewayClient` decides.
///
/// Everything it writes goes through one outbox drained by one task, which also keeps the
/// client under Discord's 120-sends-per-minute limit.
final class GatewayConnection: Sendable {
    enum Start: Sendable, Equatable {
        case identify
        case resume(sessionID: String, seq: Int?)
    }

    enum End: Sendable, Equatable {
        /// The server closed with this code.
        case closed(code: Int)
        /// The socket went away without a close frame after it had opened.
        case dropped
        /// No heartbeat ACK came between two beats; we closed with 4000 to resume.
        case zombie
        /// Op 7.
        case reconnectRequested
        /// Op 9 with its "resumable" flag.
        case invalidSession(resumable: Bool)
        /// A compressed frame did not inflate; we closed with 4000 to resume on a fresh stream.
        case corrupted
        /// The client asked (close()).
        case requested
        /// The socket could not be opened.
        case failed(String)
    }

    enum Outgoing: Sendable {
        /// `held` numbers a command the client must not lose (op 4): it stays in `unwritten`
        /// until written, so a connection that dies first hands it back.
        case command(GatewayCommand, held: Int?)
        case close(code: Int, end: End)
    }

    struct State {
        var end: End?
        var opened = false
        var acked = true
        var sendTimes: [ContinuousClock.Instant] = []
        var helloReceived = false
        var nextHeld = 0
        var unwritten: [(id: Int, command: GatewayCommand)] = []
    }

    let url: String
    let start: Start
    unowned let client: GatewayClient
    let state = Mutex(State())
    let outbox: AsyncStream<Outgoing>
    let outboxInput: AsyncStream<Outgoing>.Continuation

    init(url: String, start: Start, client: GatewayClient) {
        self.url = url
        self.start = start
        self.client = client
        (outbox, outboxInput) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    var logger: Logger { client.logger }

    func send(_ command: GatewayCommand) { outboxInput.yield(.command(command, held: nil)) }

    /// Sends a command that must survive this connection dying: see `takeUnwritten`.
    func sendHeld(_ command: GatewayCommand) {
        let id = state.withLock { state in
            state.nextHeld += 1
            state.unwritten.append((state.nextHeld, command))
            return state.nextHeld
        }
        outboxInput.yield(.command(command, held: id))
    }

    /// Held commands that never reached the socket, in order; the client resends them on the
    /// next session. (One written into a socket that then died is gone: Discord never saw it
    /// or acted on it, and the voice handshake's timeout is what notices.)
    func takeUnwritten() -> [GatewayCommand] {
        state.withLock { state in
            defer { state.unwritten = [] }
            return state.unwritten.map(\.command)
        }
    }

    /// Records why the connection ends (the first reason wins) and queues the close frame.
    func close(code: Int, end: End) {
        state.withLock { if $0.end == nil { $0.end = end } }
        outboxInput.yield(.close(code: code, end: end))
    }

    /// Runs the socket to its end.
    func run() async -> End {
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 24, closeTimeout: .seconds(1))
        // The socket library traces frame bytes, and Identify/Resume carry the token: keep it at info or above.
        var socketLogger = logger
        socketLogger.logLevel = max(logger.logLevel, .info)
        let socket = WebSocketClient(url: url, configuration: configuration, logger: socketLogger) { inbound, outbound, _ in
            self.state.withLock { $0.opened = true }
            try await self.handle(inbound: inbound, outbound: outbound)
        }
        var closeCode: Int?
        var failure: String?
        do {
            if let frame = try await socket.run() { closeCode = Int(UInt16(gatewayCloseCode: frame.closeCode)) }
        } catch {
            failure = "\(error)"
        }
        outboxInput.finish()
        let (end, opened) = state.withLock { ($0.end, $0.opened) }
        if let end { return end }
        if let closeCode, closeCode != 1006 { return .closed(code: closeCode) }
        return opened ? .dropped : .failed(failure ?? "the connection closed before it opened")
    }

    private func handle(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (hello, helloInput) = AsyncStream.makeStream(of: Double.self, bufferingPolicy: .bufferingNewest(1))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.drainOutbox(into: outbound) }
            group.addTask { try await self.heartbeat(hello: hello) }
            group.addTask { try await self.watchHello() }
            group.addTask {
                let inflater = self.client.configuration.zlibStream ? try ZlibStreamInflater() : nil
                for try await message in inbound.messages(maxSize: 1 << 24) {
                    switch message {
                    case let .text(text):
                        self.receive(text, hello: helloInput)
                    case let .binary(buffer):
                        guard let inflater else { continue }
                        do {
                            if let text = try inflater.feed(Array(buffer.readableBytesView)) { self.receive(text, hello: helloInput) }
                        } catch {
                            self.logger.warning("discord gateway: \(error), reconnecting")
                            self.close(code: 4000, end: .corrupted)
                            return
                        }
                    }
                }
            }
            _ = try await group.next()
            group.cancelAll()
        }
    }

    private func receive(_ text: String, hello: AsyncStream<Double>.Continuation) {
        guard let envelope = try? JSONDecoder().decode(GatewayEnvelope.self, from: Data(text.utf8)) else {
            logger.warning("discord gateway: ignoring a frame that is not an envelope")
            return
        }
        switch envelope.op {
        case 0:
            client.dispatch(name: envelope.t ?? "", seq: envelope.s, text: text, from: self)
        case 1:
            send(.heartbeat(seq: client.currentSequence))
        case 7:
            logger.info("discord gateway: reconnect requested")
            close(code: 4000, end: .reconnectRequested)
        case 9:
            let resumable = (try? JSONDecoder().decode(GatewayData<Bool>.self, from: Data(text.utf8)).d) ?? false
            client.noteInvalidSession()
            logger.info("discord gateway: invalid session (resumable: \(resumable))")
            close(code: 4000, end: .invalidSession(resumable: resumable))
        case 10:
            guard let data = try? JSONDecoder().decode(GatewayData<HelloData>.self, from: Data(text.utf8)).d else {
                return close(code: 4000, end: .failed("Hello without heartbeat_interval"))
            }
            state.withLock { $0.helloReceived = true }
            send(client.commandForStart(start))
            hello.yield(data.heartbeatInterval)
        case 11:
            state.withLock { $0.acked = true }
        default:
            break
        }
    }

    /// A server that accepts the socket but never says Hello would hold the client forever.
    private func watchHello() async throws {
        try await Task.sleep(for: .seconds(client.configuration.helloTimeout))
        if !state.withLock({ $0.helloReceived }) {
            logger.warning("discord gateway: no Hello within \(client.configuration.helloTimeout) s, reconnecting")
            close(code: 4000, end: .failed("no Hello within \(client.configuration.helloTimeout) s"))
        }
        // Stay in the group until cancelled: the reader decides when the connection ends.
        try await Task.sleep(for: .seconds(1_000_000))
    }

    /// The first beat at a random point of the interval (doc §1.4), then one per interval; a
    /// beat that comes due with the previous one unacknowledged means the link is a zombie.
    private func heartbeat(hello: AsyncStream<Double>) async throws {
        var iterator = hello.makeAsyncIterator()
        guard let intervalMs = await iterator.next() else { return }
        let interval = max(0.01, intervalMs / 1000)
        try await Task.sleep(for: .seconds(interval * Double.random(in: 0..<1)))
        while !Task.isCancelled {
            let acked = state.withLock { state -> Bool in
                defer { state.acked = false }
                return state.acked
            }
            if !acked {
                logger.warning("discord gateway: heartbeat not acknowledged, reconnecting to resume")
                client.noteZombie()
                close(code: 4000, end: .zombie)
                // Stay in the group so the outbox gets to send the close frame before teardown.
                try await Task.sleep(for: .seconds(1_000_000))
            }
            send(.heartbeat(seq: client.currentSequence))
            try await Task.sleep(for: .seconds(interval))
        }
    }

    private func drainOutbox(into outbound: WebSocketOutboundWriter) async throws {
        for await item in outbox {
            switch item {
            case let .command(command, held):
                let json = command.json
                guard json.utf8.count <= 4096 else {
                    logger.error("discord gateway: not sending a \(command.name) of \(json.utf8.count) bytes (limit 4096)")
                    continue
                }
                try await paceSend()
                try await outbound.write(.text(json))
                if let held { state.withLock { $0.unwritten.removeAll { $0.id == held } } }
            case let .close(code, _):
                try await outbound.close(WebSocketErrorCode(codeNumber: code), reason: nil)
                return
            }
        }
    }

    /// Waits when the last window already holds `sendsPerMinute` sends (doc §1.10). Send times
    /// are reserved in order, so the `limit`-th latest one says when the next slot opens. The
    /// server counts arrivals, not sends: a burst that left at the very edge of the window can
    /// arrive inside it if the previous burst was delayed more, so 5 % of the window is added.
    private func paceSend() async throws {
        let limit = max(1, client.configuration.sendsPerMinute)
        let window = Duration.seconds(client.configuration.sendWindow * 1.05)
        let wait = state.withLock { state -> Duration in
            let now = ContinuousClock.now
            state.sendTimes.removeAll { now - $0 >= window }
            let count = state.sendTimes.count
            let wait = count >= limit ? max(.zero, (state.sendTimes[count - limit] + window) - now) : .zero
            state.sendTimes.append(now + wait)
            return wait
        }
        if wait > .zero { try await Task.sleep(for: wait) }
    }
}

extension UInt16 {
    init(gatewayCloseCode code: WebSocketErrorCode) {
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
