import Foundation
import Logging
import NIOWebSocket
import Synchronization
import WSClient
import WebSocketSession

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
    let outbox = Outbox<Outgoing>()

    init(url: String, start: Start, client: GatewayClient) {
        self.url = url
        self.start = start
        self.client = client
    }

    var logger: Logger { client.logger }

    func send(_ command: GatewayCommand) { outbox.send(.command(command, held: nil)) }

    /// Sends a command that must survive this connection dying: see `takeUnwritten`.
    func sendHeld(_ command: GatewayCommand) {
        let id = state.withLock { state in
            state.nextHeld += 1
            state.unwritten.append((state.nextHeld, command))
            return state.nextHeld
        }
        outbox.send(.command(command, held: id))
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
        outbox.send(.close(code: code, end: end))
    }

    /// Runs the socket to its end.
    func run() async -> End {
        // The socket library traces frame bytes, and Identify/Resume carry the token: keep it at info or above.
        var socketLogger = logger
        socketLogger.logLevel = max(logger.logLevel, .info)
        let ending = await WebSocketSession.run(url: url, maxFrameSize: 1 << 24, logger: socketLogger) { inbound, outbound in
            self.state.withLock { $0.opened = true }
            try await self.handle(inbound: inbound, outbound: outbound)
        }
        outbox.finish()
        let (end, opened) = state.withLock { ($0.end, $0.opened) }
        if let end { return end }
        if let closeCode = ending.closeCode, closeCode != 1006 { return .closed(code: closeCode) }
        return opened ? .dropped : .failed(ending.failure ?? "the connection closed before it opened")
    }

    private func handle(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter) async throws {
        let (hello, helloInput) = AsyncStream.makeStream(of: Double.self, bufferingPolicy: .bufferingNewest(1))
        let helloTimeout = client.configuration.helloTimeout
        try await WebSocketSession.serve(
            drain: { try await self.outbox.drain { try await self.write($0, to: outbound) } },
            heartbeat: { try await Heartbeat.run(hello: hello, minimum: 0.01, firstAt: 0...1) { self.beat() } },
            deadline: {
                try await HandshakeDeadline.run(seconds: helloTimeout, isDone: { self.state.withLock { $0.helloReceived } }) {
                    self.logger.warning("discord gateway: no Hello within \(helloTimeout) s, reconnecting")
                    self.close(code: 4000, end: .failed("no Hello within \(helloTimeout) s"))
                }
            },
            read: {
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
            })
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

    /// One beat (doc §1.4); a beat that comes due with the previous one unacknowledged means the
    /// link is a zombie: close it to resume.
    private func beat() -> Bool {
        let acked = state.withLock { state -> Bool in
            defer { state.acked = false }
            return state.acked
        }
        guard acked else {
            logger.warning("discord gateway: heartbeat not acknowledged, reconnecting to resume")
            client.noteZombie()
            close(code: 4000, end: .zombie)
            return false
        }
        send(.heartbeat(seq: client.currentSequence))
        return true
    }

    /// Writes one outbox item; false once the close frame went out.
    private func write(_ item: Outgoing, to outbound: WebSocketOutboundWriter) async throws -> Bool {
        switch item {
        case let .command(command, held):
            let json = command.json
            guard json.utf8.count <= 4096 else {
                logger.error("discord gateway: not sending a \(command.name) of \(json.utf8.count) bytes (limit 4096)")
                return true
            }
            try await paceSend()
            try await outbound.write(.text(json))
            if let held { state.withLock { $0.unwritten.removeAll { $0.id == held } } }
            return true
        case let .close(code, _):
            try await outbound.close(WebSocketErrorCode(codeNumber: code), reason: nil)
            return false
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
