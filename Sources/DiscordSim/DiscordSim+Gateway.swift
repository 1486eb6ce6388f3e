import Foundation
import NIOCore
import NIOWebSocket

extension DiscordSim {
    func gatewayOpened(id: ObjectIdentifier, channel: any Channel, uri: String) {
        let path = String(uri.split(separator: "?", maxSplits: 1).first ?? "")
        let query = uri.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
        state.withLock { state in
            let compressed = query.contains("compress=zlib-stream")
            state.connections[id] = Connection(channel: channel, path: path, deflater: compressed ? ZlibStreamDeflater() : nil)
            if compressed { state.report.compressedConnections += 1 }
            state.report.gatewayConnections.append(path)
            if !query.contains("v=10") || !query.contains("encoding=json") {
                state.report.violations.append("gateway connection without ?v=10&encoding=json: \(uri)")
            }
        }
        sendRaw(["op": 10, "d": ["heartbeat_interval": configuration.heartbeatIntervalMs]], to: id)
    }

    func gatewayClosed(id: ObjectIdentifier) {
        _ = state.withLock { $0.connections.removeValue(forKey: id) }
    }

    func gatewayClientClosed(id: ObjectIdentifier, code: Int) {
        state.withLock { state in
            state.report.clientCloseCodes.append(code)
            // 1000/1001 from the client ends its session (doc §1.8).
            if code == 1000 || code == 1001, let session = state.connections[id]?.sessionID {
                state.sessions[session]?.valid = false
            }
        }
    }

    func gatewayReceived(_ text: String, id: ObjectIdentifier) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let op = (object["op"] as? NSNumber)?.intValue
        else { return closeGateway(id: id, code: 4002) }
        if text.utf8.count > 4096 { return closeGateway(id: id, code: 4002) }
        let overLimit = state.withLock { state -> Bool in
            let now = ContinuousClock.now
            guard var connection = state.connections[id] else { return false }
            connection.received.removeAll { now - $0 >= .seconds(configuration.gatewaySendWindow) }
            connection.received.append(now)
            state.connections[id] = connection
            return connection.received.count > configuration.gatewaySendLimit
        }
        if overLimit { return closeGateway(id: id, code: 4008) }
        let d = object["d"]
        switch op {
        case 1: heartbeat(d, id: id)
        case 2: identify(d as? [String: Any] ?? [:], id: id)
        case 6: resume(d as? [String: Any] ?? [:], id: id)
        case 4: voiceStateUpdate(d as? [String: Any] ?? [:], id: id)
        case 3, 8: break
        default: closeGateway(id: id, code: 4001)
        }
    }

    private func heartbeat(_ d: Any?, id: ObjectIdentifier) {
        let seq = (d as? NSNumber)?.intValue
        let ack = state.withLock { state -> Bool in
            guard var connection = state.connections[id] else { return false }
            state.report.heartbeats += 1
            state.report.heartbeatSequences.append(seq)
            if connection.lastHeartbeat == nil {
                let delay = ContinuousClock.now - connection.openedAt
                state.report.firstHeartbeatDelaysMs.append(
                    Double(delay.components.attoseconds) / 1e15
                        + Double(delay.components.seconds) * 1000)
            }
            connection.lastHeartbeat = .now
            state.connections[id] = connection
            if let session = connection.sessionID, let sent = state.sessions[session]?.seq, let seq, seq > sent {
                state.report.heartbeatSeqMismatches += 1
                state.report.violations.append("heartbeat with seq \(seq) beyond the last sent \(sent)")
            }
            return state.ackHeartbeats
        }
        if ack { sendRaw(["op": 11], to: id) }
    }

    private func identify(_ d: [String: Any], id: ObjectIdentifier) {
        let token = d["token"] as? String ?? ""
        let intents = (d["intents"] as? NSNumber)?.intValue ?? 0
        let shard = (d["shard"] as? [NSNumber])?.map(\.intValue) ?? [0, 1]
        let outcome = state.withLock { state -> Int? in
            guard let connection = state.connections[id] else { return nil }
            if connection.sessionID != nil { return 4005 }
            state.report.identifies += 1
            state.report.identifyIntents.append(intents)
            state.report.identifyShards.append(shard)
            state.report.identifyTimes.append(.now)
            if connection.path != "/" { state.report.violations.append("identify on \(connection.path)") }
            if token != configuration.token { return 4004 }
            if intents & 1 == 0 || intents & 128 == 0 {
                state.report.violations.append("identify without GUILDS | GUILD_VOICE_STATES (intents \(intents))")
            }
            let properties = d["properties"] as? [String: Any]
            if properties?["os"] == nil || properties?["browser"] == nil || properties?["device"] == nil {
                state.report.violations.append("identify without properties os/browser/device")
            }
            if shard.count != 2 || shard[0] >= shard[1] { return 4010 }
            if configuration.identifyWindow > 0 {
                let now = ContinuousClock.now
                state.recentIdentifies.removeAll { now - $0 >= .seconds(configuration.identifyWindow) }
                if state.recentIdentifies.count >= configuration.maxConcurrency {
                    state.report.identifyRejections += 1
                    return -1
                }
                state.recentIdentifies.append(now)
            }
            return 0
        }
        guard let outcome else { return }
        if outcome == -1 { return sendRaw(["op": 9, "d": false], to: id) }
        if outcome != 0 { return closeGateway(id: id, code: outcome) }
        let sessionID = nextID("sim-session-")
        state.withLock { state in
            state.sessions[sessionID] = Session(id: sessionID)
            state.connections[id]?.sessionID = sessionID
        }
        let ready: [String: Any] = [
            "v": 10, "session_id": sessionID, "resume_gateway_url": resumeGatewayURL,
            "user": ["id": configuration.botUserID, "username": configuration.botUsername, "bot": true],
            "guilds": configuration.guilds.map { ["id": $0.id, "unavailable": true] },
            "application": ["id": configuration.applicationID, "flags": 0], "shard": shard
        ]
        dispatch("READY", ready, session: sessionID)
        for guild in configuration.guilds where ShardRouting.shard(guild: guild.id, count: shard[1]) == shard[0] {
            dispatch("GUILD_CREATE", guildCreate(guild), session: sessionID)
        }
    }

    private func guildCreate(_ guild: SimGuild) -> [String: Any] {
        var channels: [[String: Any]] = [["id": "\(guild.id)1", "type": 0, "name": "general"]]
        channels += guild.voiceChannels.map { ["id": $0.id, "type": 2, "name": $0.name] }
        let states: [[String: Any]] = guild.voiceStates.enumerated().map { index, state in
            [
                "user_id": state.userID, "channel_id": state.channelID, "session_id": "user-voice-\(index)",
                "deaf": false, "mute": false, "self_deaf": false, "self_mute": false, "suppress": false
            ]
        }
        return [
            "id": guild.id, "name": guild.name, "member_count": guild.voiceStates.count + 1,
            "unavailable": false, "channels": channels, "voice_states": states
        ]
    }

    private func resume(_ d: [String: Any], id: ObjectIdentifier) {
        let token = d["token"] as? String ?? ""
        let sessionID = d["session_id"] as? String ?? ""
        let seq = (d["seq"] as? NSNumber)?.intValue
        enum Outcome { case close(Int), invalid(Bool), replay([String]) }
        let outcome = state.withLock { state -> Outcome? in
            guard let connection = state.connections[id] else { return nil }
            state.report.resumes.append((sessionID, seq))
            if connection.path != "/resume" { state.report.violations.append("resume on \(connection.path)") }
            if token != configuration.token { return .close(4004) }
            if let forced = state.answerResumeWithInvalidSession {
                state.answerResumeWithInvalidSession = nil
                if !forced { state.sessions[sessionID]?.valid = false }
                return .invalid(forced)
            }
            guard let session = state.sessions[sessionID], session.valid else {
                state.report.resumeRejections.append(
                    "session \(sessionID) is \(state.sessions[sessionID] == nil ? "unknown" : "invalidated")")
                return .invalid(false)
            }
            if let seq, seq > session.seq {
                state.report.resumeRejections.append("seq \(seq) is beyond the last sent \(session.seq)")
                return .close(4007)
            }
            state.connections[id]?.sessionID = sessionID
            return .replay(session.buffered.filter { $0.seq > (seq ?? 0) }.map(\.json))
        }
        switch outcome {
        case nil: return
        case let .close(code): closeGateway(id: id, code: code)
        case let .invalid(resumable): sendRaw(["op": 9, "d": resumable], to: id)
        case let .replay(messages):
            for json in messages { write(json, to: id) }
            dispatch("RESUMED", [String: Any](), session: sessionID)
        }
    }

    private func voiceStateUpdate(_ d: [String: Any], id: ObjectIdentifier) {
        let guild = d["guild_id"] as? String ?? ""
        let channel = d["channel_id"] as? String
        let command = DiscordSimReport.VoiceStateCommand(
            guildID: guild, channelID: channel,
            selfDeaf: d["self_deaf"] as? Bool ?? false,
            selfMute: d["self_mute"] as? Bool ?? false)
        let session = state.withLock { state -> String? in
            state.report.voiceStateCommands.append(command)
            if d["self_deaf"] == nil || d["self_mute"] == nil || d.index(forKey: "channel_id") == nil {
                state.report.violations.append("op 4 without all four fields")
            }
            return state.connections[id]?.sessionID
        }
        guard let session else { return closeGateway(id: id, code: 4003) }
        let voiceSession = nextID("bot-voice-session-")
        state.withLock { $0.voiceSessions[guild] = voiceSession }
        configuration.voiceStateObserver?(guild, configuration.botUserID, channel)
        let voiceEndpoint = state.withLock { $0.voiceEndpointOverride } ?? configuration.voiceEndpoint
        let stateUpdate: [String: Any] = [
            "guild_id": guild, "channel_id": channel as Any? ?? NSNull(), "user_id": configuration.botUserID,
            "session_id": voiceSession, "deaf": false, "mute": false, "self_deaf": command.selfDeaf,
            "self_mute": command.selfMute, "suppress": false
        ]
        guard channel != nil else { return dispatch("VOICE_STATE_UPDATE", stateUpdate, session: session) }
        let serverUpdate: [String: Any] = [
            "guild_id": guild, "token": nextID("voice-token-"),
            "endpoint": voiceEndpoint as Any? ?? NSNull()
        ]
        if configuration.voiceServerFirst {
            dispatch("VOICE_SERVER_UPDATE", serverUpdate, session: session)
            dispatch("VOICE_STATE_UPDATE", stateUpdate, session: session)
        } else {
            dispatch("VOICE_STATE_UPDATE", stateUpdate, session: session)
            dispatch("VOICE_SERVER_UPDATE", serverUpdate, session: session)
        }
    }

    // MARK: Writing

    /// Sends a numbered dispatch on `session`, buffered for replay; a session without a socket
    /// (killed) only buffers it.
    func dispatch(_ name: String, _ data: Any, session sessionID: String) {
        let (json, target) = state.withLock { state -> (String?, ObjectIdentifier?) in
            guard var session = state.sessions[sessionID] else { return (nil, nil) }
            session.seq += 1
            let json = Self.encode(["op": 0, "t": name, "s": session.seq, "d": data])
            session.buffered.append((session.seq, json))
            if session.buffered.count > 500 { session.buffered.removeFirst() }
            state.sessions[sessionID] = session
            let target = state.connections.first { $0.value.sessionID == sessionID }?.key
            return (json, target)
        }
        if let json, let target { write(json, to: target) }
    }

    func sendRaw(_ object: [String: Any], to id: ObjectIdentifier) { write(Self.encode(object), to: id) }

    static func encode(_ object: [String: Any]) -> String {
        String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    func write(_ json: String, to id: ObjectIdentifier) {
        state.withLock { state in
            guard let connection = state.connections[id] else { return }
            let channel = connection.channel
            // Queued on the event loop, never written inline: a write that fails closes the
            // channel, whose close handler takes this lock again. Queued under the lock, frames
            // keep the order their (zlib-stream) compression gave them.
            let frame: WebSocketFrame
            if let deflater = connection.deflater {
                guard let bytes = deflater.compress(json) else { return }
                frame = WebSocketFrame(fin: true, opcode: .binary, data: ByteBuffer(bytes: bytes))
            } else {
                frame = WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: json))
            }
            channel.eventLoop.execute { channel.writeAndFlush(frame, promise: nil) }
        }
    }

    /// Sends a close frame with `code`, then drops the connection.
    func closeGateway(id: ObjectIdentifier, code: Int) {
        let channel = state.withLock { state -> (any Channel)? in
            state.report.serverCloseCodes.append(code)
            return state.connections[id]?.channel
        }
        guard let channel else { return }
        var buffer = channel.allocator.buffer(capacity: 2)
        buffer.writeInteger(UInt16(code))
        channel.writeAndFlush(WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)).whenComplete { _ in
            channel.eventLoop.scheduleTask(in: .milliseconds(50)) { channel.close(promise: nil) }
        }
    }
}

/// `(guild_id >> 22) % shards` (doc §1.10).
enum ShardRouting {
    static func shard(guild: String, count: Int) -> Int {
        guard count > 1, let value = UInt64(guild) else { return 0 }
        return Int((value >> 22) % UInt64(count))
    }
}
