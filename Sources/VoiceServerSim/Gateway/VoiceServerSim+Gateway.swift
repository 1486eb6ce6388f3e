import CSodium
import Foundation
import NIOCore
import NIOWebSocket

extension VoiceServerSim {
    func connectionOpened(id: ObjectIdentifier, channel: any Channel, uri: String) {
        state.withLock {
            $0.connections[id] = ConnectionRecord(channel: channel)
            $0.report.gateway.connections += 1
        }
        if !uri.contains("v=8") { return close(id: id, code: 4020) }
        send(op: 8, data: ["v": 8, "heartbeat_interval": configuration.heartbeatIntervalMs], to: id, numbered: false)
    }

    func connectionClosed(id: ObjectIdentifier) {
        let session = state.withLock { state -> String? in
            let record = state.connections.removeValue(forKey: id)
            return state.shuttingDown ? nil : record?.sessionID
        }
        if let session { scheduleDeparture(ofSession: session) }
    }

    func checkHeartbeat(id: ObjectIdentifier, timeoutMs: Double) {
        let last = state.withLock { $0.connections[id]?.lastHeartbeat }
        guard let last else { return }
        if Double(SimClock.nanoseconds() &- last) / 1e6 > timeoutMs { close(id: id, code: 4009) }
    }

    func receiveText(_ text: String, id: ObjectIdentifier) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let op = (object["op"] as? NSNumber)?.intValue
        else { return close(id: id, code: 4002) }
        let data = object["d"]
        let fields = data as? [String: Any] ?? [:]
        let sessionID = state.withLock { $0.connections[id]?.sessionID }
        switch op {
        case 0: identify(fields, id: id, alreadyIdentified: sessionID != nil)
        case 7: resume(fields, id: id)
        case 3: heartbeat(data, id: id)
        case 1, 5:
            guard let sessionID else { return close(id: id, code: 4003) }
            op == 1 ? selectProtocol(fields, sessionID: sessionID, id: id) : speaking(fields, sessionID: sessionID)
        case 23, 31:
            guard let sessionID else { return close(id: id, code: 4003) }
            daveTransitionReply(op: op, fields: fields, sessionID: sessionID)
        case 12, 16:
            break  // video and backend version: accepted, nothing to do here
        default:
            close(id: id, code: 4001)
        }
    }

    private func identify(_ d: [String: Any], id: ObjectIdentifier, alreadyIdentified: Bool) {
        if alreadyIdentified { return close(id: id, code: 4005) }
        guard let server = d["server_id"] as? String, let user = d["user_id"] as? String,
            let session = d["session_id"] as? String, let token = d["token"] as? String, !server.isEmpty
        else { return close(id: id, code: 4020) }
        if let expected = configuration.expectedToken, expected != token { return close(id: id, code: 4004) }
        let maxDAVE = (d["max_dave_protocol_version"] as? NSNumber)?.intValue ?? 0
        if configuration.requireDAVE && maxDAVE < 1 {
            state.withLock { $0.report.gateway.maxDAVEVersions.append(maxDAVE) }
            return close(id: id, code: 4017)
        }
        var key = [UInt8](repeating: 0, count: 32)
        randombytes_buf(&key, 32)
        let ssrc = UInt32.random(in: 1...UInt32.max)
        // The same voice session identifying in another channel is a move: it leaves the old call.
        let moved = state.withLock { state -> SessionRecord? in
            let channel = state.voiceChannels["\(server)/\(user)"] ?? state.channelID
            return state.sessions[session].flatMap { $0.channelID != channel ? $0 : nil }
        }
        if let moved { depart(moved) }
        state.withLock { state in
            let channel = state.voiceChannels["\(server)/\(user)"] ?? state.channelID
            state.sessions[session] = SessionRecord(
                sessionID: session, userID: user, token: token, ssrc: ssrc, key: key,
                maxDAVEVersion: maxDAVE, guildID: server, channelID: channel)
            state.connections[id]?.sessionID = session
            state.report.gateway.identifies += 1
            state.report.gateway.maxDAVEVersions.append(maxDAVE)
        }
        send(
            op: 2,
            data: [
                "ssrc": ssrc, "ip": "127.0.0.1", "port": udpPort, "modes": configuration.offeredModes,
                "experiments": [String](), "streams": [Any]()
            ], to: id)
    }

    private func resume(_ d: [String: Any], id: ObjectIdentifier) {
        let session = d["session_id"] as? String ?? ""
        let heldFor = state.withLock { state -> UInt64 in
            let until = state.resumeHeldUntil.removeValue(forKey: session) ?? 0
            return until &- min(until, SimClock.nanoseconds())
        }
        if heldFor > 0 {
            let fields = SendableFields(d)
            group.next().scheduleTask(in: .nanoseconds(Int64(heldFor))) { [weak self] in self?.resume(fields.value, id: id) }
            return
        }
        let token = d["token"] as? String ?? ""
        let seqAck = (d["seq_ack"] as? NSNumber)?.intValue ?? -1
        let replay = state.withLock { state -> [OutboundFrame]? in
            // A resume names the session's own guild (doc §1.4: server_id, session_id, token).
            guard let record = state.sessions[session], record.token == token, record.mode != nil,
                d["server_id"] as? String == record.guildID
            else {
                state.report.gateway.resumesRejected += 1
                return nil
            }
            state.connections[id]?.sessionID = session
            state.report.gateway.resumes += 1
            let replay = record.buffered.filter { $0.seq > seqAck }.map(\.frame)
            state.report.gateway.replayedMessages += replay.count
            state.report.gateway.replayedBinaryMessages += replay.filter { if case .binary = $0 { true } else { false } }.count
            return replay
        }
        guard let replay else { return close(id: id, code: 4006) }
        send(op: 9, data: nil, to: id, numbered: false)
        for frame in replay { write(frame, to: id) }
    }

    private func heartbeat(_ d: Any?, id: ObjectIdentifier) {
        let fields = d as? [String: Any]
        let ack = state.withLock { state -> Bool in
            state.connections[id]?.lastHeartbeat = SimClock.nanoseconds()
            state.report.gateway.heartbeats += 1
            if fields?["seq_ack"] == nil { state.report.gateway.heartbeatsWithoutSeqAck += 1 }
            return state.ackHeartbeats
        }
        guard ack else { return }
        send(op: 6, data: ["t": fields?["t"] ?? d ?? 0], to: id, numbered: false)
    }

    private func selectProtocol(_ d: [String: Any], sessionID: String, id: ObjectIdentifier) {
        guard d["protocol"] as? String == "udp" else { return close(id: id, code: 4012) }
        guard let data = d["data"] as? [String: Any], data["address"] is String, data["port"] is NSNumber,
            let mode = data["mode"] as? String
        else { return close(id: id, code: 4020) }
        guard configuration.offeredModes.contains(mode) else { return close(id: id, code: 4016) }
        let record = state.withLock { state -> SessionRecord? in
            guard var record = state.sessions[sessionID] else { return nil }
            record.mode = mode
            state.sessions[sessionID] = record
            state.report.gateway.selectedModes.append(mode)
            state.recorders[record.ssrc] = StreamRecorder(
                ssrc: record.ssrc, mode: mode, key: record.key,
                sessionID: sessionID, captureLimit: configuration.captureLimit,
                decodesAudio: configuration.decodesAudio, userID: record.userID,
                e2eeCaptureLimit: configuration.e2eeCaptureLimit,
                e2eeOpener: configuration.e2eeOpener,
                daveNegotiated: min(configuration.daveProtocolVersion, record.maxDAVEVersion) > 0)
            return record
        }
        guard let record else { return close(id: id, code: 4006) }
        let daveVersion = min(configuration.daveProtocolVersion, record.maxDAVEVersion)
        let offered = state.withLock { state -> Int in
            state.sessions[sessionID]?.daveVersion = max(0, daveVersion)
            state.report.gateway.negotiatedDAVEVersions.append(max(0, daveVersion))
            return max(0, daveVersion)
        }
        send(
            op: 4,
            data: [
                "mode": mode, "secret_key": record.key, "dave_protocol_version": offered, "audio_codec": "opus",
                "video_codec": "H264", "media_session_id": UUID().uuidString
            ], to: id)
        let others = enterChannel(userID: record.userID, sessionID: sessionID, call: record.channelID, daveVersion: offered)
        if configuration.sendIgnorableOps {
            // A ghost user in op 11 exercises the client's parser; with DAVE it would be a
            // recognized user nobody can add, so DAVE sessions only hear about real ones.
            if offered == 0 && others.isEmpty { send(op: 11, data: ["user_ids": ["190000000000000009"]], to: id) }
            send(op: 18, data: ["user_id": "190000000000000009", "flags": 0], to: id)
            send(op: 20, data: ["user_id": "190000000000000009", "platform": 0], to: id)
            send(op: 99, data: ["future": true], to: id)
        }
    }

    private func speaking(_ d: [String: Any], sessionID: String) {
        // C→S op 5 is `{speaking, delay, ssrc}` (doc §1.2); the SSRC is the one op 2 assigned.
        guard let flags = (d["speaking"] as? NSNumber)?.intValue, let claimed = (d["ssrc"] as? NSNumber)?.uint32Value,
            d["delay"] is NSNumber
        else {
            if let id = state.withLock({ $0.connection(ofSession: sessionID) }) { close(id: id, code: 4020) }
            return
        }
        state.withLock { state in
            guard let ssrc = state.sessions[sessionID]?.ssrc, ssrc == claimed else {
                state.report.gateway.speakingForeignSSRC += 1
                return
            }
            state.report.gateway.speaking.append((ssrc, flags))
            state.recorders[ssrc]?.speakingAnnounced = true
        }
    }

    // MARK: Writing

    /// Sends `{op, d[, seq]}`; numbered messages are kept for replay on resume.
    func send(op: Int, data: Any?, to id: ObjectIdentifier, numbered: Bool = true) {
        let json = state.withLock { state -> String? in
            var object: [String: Any] = ["op": op, "d": data ?? NSNull()]
            if numbered, let session = state.connections[id]?.sessionID, var record = state.sessions[session] {
                record.seq += 1
                object["seq"] = record.seq
                let json = Self.encode(object)
                record.buffered.append((record.seq, .text(json)))
                if record.buffered.count > 200 { record.buffered.removeFirst() }
                state.sessions[session] = record
                return json
            }
            return Self.encode(object)
        }
        if let json { write(.text(json), to: id) }
    }

    static func encode(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    func write(_ outbound: OutboundFrame, to id: ObjectIdentifier) {
        let (channel, delay) = state.withLock { ($0.connections[id]?.channel, $0.messageDelay) }
        guard let channel else { return }
        let frame =
            switch outbound {
            case let .text(json): WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: json))
            case let .binary(bytes): WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes))
            }
        if delay > 0 {
            channel.eventLoop.scheduleTask(in: .microseconds(Int64(delay * 1e6))) {
                channel.writeAndFlush(frame, promise: nil)
            }
        } else {
            channel.writeAndFlush(frame, promise: nil)
        }
    }

    /// Sends a close frame with `code`, then drops the TCP connection.
    func close(id: ObjectIdentifier, code: Int) {
        let channel = state.withLock { state -> (any Channel)? in
            state.report.gateway.closeCodesSent.append(code)
            return state.connections[id]?.channel
        }
        guard let channel else { return }
        var buffer = channel.allocator.buffer(capacity: 2)
        buffer.writeInteger(UInt16(code))
        let frame = WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)
        channel.writeAndFlush(frame).whenComplete { _ in
            // Give the client a moment to read the close frame before the socket goes.
            channel.eventLoop.scheduleTask(in: .milliseconds(50)) { channel.close(promise: nil) }
        }
    }
}

/// JSON fields carried across to a scheduled task; they are only read there.
struct SendableFields: @unchecked Sendable {
    let value: [String: Any]
    init(_ value: [String: Any]) { self.value = value }
}
