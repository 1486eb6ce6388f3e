import DAVE
import Foundation

extension VoiceGatewaySession {
    /// Handles one server text frame. Unknown and ignorable ops fall through silently.
    func receive(_ text: String, hello: AsyncStream<Double>.Continuation) async throws {
        let (message, seq): (VoiceGatewayServerMessage, Int?)
        do {
            (message, seq) = try VoiceGatewayServerMessage.parse(text)
        } catch {
            logger.warning("voice gateway: ignoring unparsable message: \(error)")
            return
        }
        if let seq { state.withLock { $0.lastSeq = seq } }
        switch message {
        case let .hello(interval):
            hello.yield(interval)
        case let .ready(ssrc, ip, port, modes):
            try await completeUDPHandshake(ssrc: ssrc, ip: ip, port: port, modes: modes)
        case let .dave(input):
            forward(e2ee.handle(input))
        case let .sessionDescription(modeName, key, daveVersion):
            guard let pending = pendingRoute.withLock({ $0 }) else {
                throw VoiceError.badSessionDescription("arrived before Ready")
            }
            guard let mode = EncryptionMode(rawValue: modeName), mode == pending.mode else {
                throw VoiceError.badSessionDescription("mode '\(modeName)' is not the one selected")
            }
            let cipher = try TransportCipher(mode: mode, key: key)
            let route = RTPSender.Route(socket: pending.socket, cipher: cipher, ssrc: pending.ssrc)
            outbox.send(.establish(Established(ssrc: pending.ssrc, mode: mode, resumed: false), route: route))
            forward(e2ee.handle(.sessionDescription(protocolVersion: daveVersion)))
        case .resumed:
            guard let route = sender.currentRoute else { throw VoiceError.stopped("resumed without a route") }
            state.withLock { $0.ssrc = route.ssrc }
            outbox.send(
                .establish(
                    Established(ssrc: route.ssrc, mode: route.cipher.mode, resumed: true),
                    route: nil))
        case let .heartbeatAck(nonce):
            state.withLock { state in
                let now = ContinuousClock.now
                state.unacked = 0
                state.lastHeartbeatAck = now
                // Only the ack of the latest beat times it: an older one's nonce would read short.
                if let sent = state.lastHeartbeatSent, nonce == nil || nonce == state.lastNonce {
                    state.roundTrip = now - sent
                }
            }
        case .heartbeatRequest:
            sendHeartbeat()
        case .ignored:
            break
        }
    }

    /// Handles one server binary frame: `[seq u16][opcode][payload]`, a DAVE message.
    func receive(binary frame: [UInt8]) {
        let parsed: (sequence: UInt16, message: DAVEBinaryMessage)
        do {
            parsed = try DAVEBinaryMessage.parseServerFrame(frame)
        } catch {
            logger.warning("voice gateway: ignoring malformed binary frame: \(error)")
            return
        }
        state.withLock { $0.lastSeq = Int(parsed.sequence) }
        forward(e2ee.handle(.binary(parsed.message)))
    }

    /// Queues the DAVE session's replies behind everything already in the outbox.
    func forward(_ messages: [VoiceE2EE.Outgoing]) {
        for message in messages {
            switch message {
            case let .binary(bytes): outbox.send(.binary(bytes))
            case let .json(json): outbox.send(.message(json))
            }
        }
    }

    /// Ready → IP discovery on a fresh socket → Select Protocol.
    private func completeUDPHandshake(ssrc: UInt32, ip: String, port: Int, modes: [String]) async throws {
        guard let mode = EncryptionMode.choose(offered: modes, allowAES: options.allowAESGCM) else {
            throw VoiceError.noSupportedMode(offered: modes)
        }
        let socket = try UDPSocket(host: ip, port: port)
        state.withLock { $0.ssrc = ssrc }
        let external = try await IPDiscovery.discover(on: socket, ssrc: ssrc, timeout: options.ipDiscoveryTimeout)
        pendingRoute.withLock { $0 = PendingRoute(socket: socket, ssrc: ssrc, mode: mode) }
        outbox.send(.message(.selectProtocol(address: external.address, port: external.port, mode: mode.rawValue)))
    }

    /// Heartbeats at the interval Hello gave, the first one at a random point inside it so a
    /// fleet of reconnecting clients does not beat in step. Too many missed acks → close to resume.
    /// One beat, unless `maxMissedHeartbeats` went unanswered: then close to resume.
    func beat() -> Bool {
        let missed = state.withLock { $0.unacked }
        if missed >= options.maxMissedHeartbeats {
            logger.warning("voice gateway: \(missed) heartbeats unacknowledged, reconnecting")
            close(code: 4000, end: .missedHeartbeats)
            return false
        }
        sendHeartbeat()
        return true
    }

    func sendHeartbeat() {
        let (nonce, seqAck) = state.withLock { state -> (Int64, Int) in
            state.unacked += 1
            state.lastNonce = Int64(Date().timeIntervalSince1970 * 1000)
            state.lastHeartbeatSent = .now
            return (state.lastNonce, state.lastSeq)
        }
        outbox.send(.message(.heartbeat(nonce: nonce, seqAck: seqAck)))
    }
}

/// The UDP half of a handshake between Ready and Session Description.
struct PendingRoute: Sendable {
    let socket: UDPSocket
    let ssrc: UInt32
    let mode: EncryptionMode
}
