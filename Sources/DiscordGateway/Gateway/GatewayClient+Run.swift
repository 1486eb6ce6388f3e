import Foundation

extension GatewayClient {
    /// Connects, and reconnects after every end that is not fatal, until `close()`.
    func runLoop() async {
        var failures = 0
        var everReady = false
        while !state.withLock({ $0.stopRequested }) {
            let (url, start) = state.withLock { state -> (String, GatewayConnection.Start) in
                if let session = state.sessionID, let resumeURL = state.resumeURL {
                    return (resumeURL, .resume(sessionID: session, seq: state.seq))
                }
                return (state.baseURL ?? "", .identify)
            }
            let connection = GatewayConnection(
                url: Self.gatewayURL(url, zlibStream: configuration.zlibStream), start: start,
                client: self)
            let stop = state.withLock { state -> Bool in
                state.connection = connection
                state.statistics.connections += 1
                return state.stopRequested
            }
            if stop { break }
            let end = await connection.run()
            let ready = state.withLock { state -> Bool in
                state.connection = nil
                state.isReady = false
                state.pending = connection.takeUnwritten() + state.pending
                if case let .closed(code) = end { state.statistics.closeCodes.append(code) }
                return state.readyWaiter == nil
            }
            everReady = everReady || ready
            if state.withLock({ $0.stopRequested }) { break }

            var delay = configuration.reconnectDelay * Double.random(in: 0.5...1)
            switch end {
            case .requested:
                continue
            case let .closed(code):
                switch CloseAction(code: code) {
                case let .fatal(error):
                    logger.error("discord gateway: \(error)")
                    return finish(throwing: error)
                case .identify:
                    forgetSession()
                case .resume:
                    break
                }
                failures = 0
            case .dropped, .zombie, .reconnectRequested, .corrupted:
                failures = 0
            case let .invalidSession(resumable):
                if !resumable {
                    forgetSession()
                    delay = Double.random(in: configuration.reidentifyDelay)
                }
            case let .failed(reason):
                failures += 1
                if !everReady, failures >= configuration.initialConnectAttempts {
                    return finish(throwing: .connectionFailed(reason))
                }
                delay = min(configuration.maxReconnectDelay, configuration.reconnectDelay * pow(2, Double(failures)))
                logger.warning("discord gateway: connection failed (\(reason)), retrying in \(delay) s")
            }
            try? await Task.sleep(for: .seconds(delay))
        }
        finish(throwing: nil)
    }

    /// Ends `events` and fails a pending `connect`.
    func finish(throwing error: GatewayError?) {
        let waiter = state.withLock { state in
            state.stopRequested = true
            defer { state.readyWaiter = nil }
            return state.readyWaiter
        }
        waiter?.resume(throwing: error ?? .closed)
        eventInput.finish(throwing: error)
    }

    func forgetSession() {
        state.withLock { state in
            state.sessionID = nil
            state.resumeURL = nil
            state.seq = nil
        }
    }

    /// `base` with the query the gateway needs (doc §1.2), replacing any query it had.
    static func gatewayURL(_ base: String, zlibStream: Bool) -> String {
        var url = base
        if let query = url.firstIndex(of: "?") { url = String(url[..<query]) }
        // A bare host gets the root path; a URL with a path (the simulator's /resume) keeps it.
        let afterScheme = url.range(of: "://").map { url[$0.upperBound...] } ?? url[...]
        if !afterScheme.contains("/") { url += "/" }
        return url + "?v=10&encoding=json" + (zlibStream ? "&compress=zlib-stream" : "")
    }

    // MARK: Called by the connection

    func commandForStart(_ start: GatewayConnection.Start) -> GatewayCommand {
        state.withLock { state in
            switch start {
            case .identify:
                state.statistics.identifies += 1
                return .identify(
                    token: state.token, intents: state.intents, shard: state.shard,
                    presence: configuration.presence, largeThreshold: configuration.largeThreshold)
            case let .resume(sessionID, seq):
                state.statistics.resumes += 1
                return .resume(token: state.token, sessionID: sessionID, seq: seq)
            }
        }
    }

    var currentSequence: Int? { state.withLock { $0.seq } }

    func noteInvalidSession() { state.withLock { $0.statistics.invalidSessions += 1 } }
    func noteZombie() { state.withLock { $0.statistics.zombieReconnects += 1 } }

    /// Handles one dispatch: keeps seq, session and readiness, then yields the typed event.
    func dispatch(name: String, seq: Int?, text: String, from connection: GatewayConnection) {
        let event: GatewayEvent
        do {
            event = try Self.decodeEvent(name: name, text: text)
        } catch {
            logger.warning("discord gateway: skipping \(name) that does not decode: \(error)")
            if let seq { state.withLock { $0.seq = seq } }
            return
        }
        let waiter = state.withLock { state -> CheckedContinuation<Ready, any Error>? in
            if let seq { state.seq = seq }
            var waiter: CheckedContinuation<Ready, any Error>?
            switch event {
            case let .ready(ready):
                state.sessionID = ready.sessionID
                state.resumeURL = ready.resumeGatewayURL
                state.botUser = ready.user
                waiter = state.readyWaiter
                state.readyWaiter = nil
            case .resumed:
                state.statistics.resumed += 1
            default:
                return nil
            }
            state.isReady = true
            for command in state.pending { connection.sendHeld(command) }
            state.pending = []
            return waiter
        }
        eventInput.yield(event)
        if case let .ready(ready) = event { waiter?.resume(returning: ready) }
    }

    static func decodeEvent(name: String, text: String) throws -> GatewayEvent {
        let data = Data(text.utf8)
        let decoder = JSONDecoder()
        switch name {
        case "READY": return .ready(try decoder.decode(GatewayData<Ready>.self, from: data).d)
        case "RESUMED": return .resumed
        case "GUILD_CREATE": return .guildCreate(try decoder.decode(GatewayData<Guild>.self, from: data).d)
        case "GUILD_DELETE":
            let d = try decoder.decode(GatewayData<GuildDeleteData>.self, from: data).d
            return .guildDelete(guildID: d.id, unavailable: d.unavailable ?? false)
        case "INTERACTION_CREATE": return .interactionCreate(try decoder.decode(GatewayData<Interaction>.self, from: data).d)
        case "VOICE_STATE_UPDATE": return .voiceStateUpdate(try decoder.decode(GatewayData<VoiceStateUpdate>.self, from: data).d)
        case "VOICE_SERVER_UPDATE": return .voiceServerUpdate(try decoder.decode(GatewayData<VoiceServerUpdate>.self, from: data).d)
        default: return .other(name: name)
        }
    }
}
