import Foundation

extension VoiceConnection {
    /// The recovery loop: one session at a time; after each, the close-code table picks the
    /// next step, with backoff between attempts that did not get a session going.
    func supervise() async {
        var start = VoiceGatewaySession.Start.identify
        var bugRetryUsed = false
        while true {
            let (server, identity, stopping) = control.withLock { ($0.server, $0.identity, $0.stopRequested) }
            if stopping { return finish(.stopped("disconnect requested")) }
            let url: String
            do { url = try server.gatewayURL() } catch { return finish(error) }

            let session = VoiceGatewaySession(
                url: url, identity: identity, token: server.token, start: start,
                options: options, sender: sender, e2ee: e2ee, logger: logger
            ) { [weak self] established in self?.sessionEstablished(established, endpoint: server.endpoint) }
            sender.setSpeakingHandler { [weak session] in session?.announceSpeaking($0) }
            control.withLock { $0.session = session }
            let end = await session.run()
            sender.suspend()
            let wasEstablished = session.state.withLock { $0.established }
            control.withLock { control in
                control.session = nil
                if wasEstablished || control.lostAt == nil { control.lostAt = .now }
            }

            // Decide what the end means.
            let pending = control.withLock { control -> PendingUpdate? in
                defer { control.pending = nil }
                return control.pending
            }
            if control.withLock({ $0.stopRequested }) { return finish(.stopped("disconnect requested")) }
            var code: Int? = nil
            var action: RecoveryAction
            switch end {
            case let .closed(closeCode):
                code = closeCode
                action = RecoveryAction.forCloseCode(closeCode, bugRetryUsed: bugRetryUsed)
                if RecoveryAction.isBugCode(closeCode) { bugRetryUsed = true }
            case .missedHeartbeats: action = .resume
            case .handshakeTimedOut: action = wasEstablished ? .resume : .reidentify
            case .requested: action = .waitForServerUpdate
            case .failed: action = .resume
            }
            if case let .server(update, channel)? = pending {
                // Moved: the new endpoint and token replace whatever the close code said.
                control.withLock { $0.server = update }
                do { try follow(channel) } catch { return finish(error) }
                action = .reidentify
            } else if case .gone? = pending {
                action = .waitForServerUpdate
            }
            eventInput.yield(.disconnected(code: code, reason: "\(end)", action: action))
            logger.info("voice: session ended (\(end)); \(action.rawValue)")

            switch action {
            case .resume:
                start = sender.currentRoute == nil ? .identify : .resume(seqAck: session.lastSeq)
            case .reidentify:
                sender.detach()
                start = .identify
                if case .server? = pending { continue }  // a move connects at once
            case .rejoin, .waitForServerUpdate:
                sender.detach()
                if action == .rejoin { eventInput.yield(.rejoinRequested) }
                guard let (update, channel) = await waitForServerUpdate() else {
                    return finish(
                        .closed(
                            code: code ?? 0,
                            action: "no voice server update within "
                                + "\(options.serverUpdateTimeout) s"))
                }
                control.withLock {
                    $0.server = update
                    $0.attempts = 0
                }
                do { try follow(channel) } catch { return finish(error) }
                start = .identify
                continue
            case .stop:
                return finish(.closed(code: code ?? 0, action: "not reconnecting"))
            }

            let attempt = control.withLock { control -> Int in
                defer { control.attempts += 1 }
                return control.attempts
            }
            if attempt >= options.backoff.maxAttempts {
                return finish(.stopped("gave up after \(attempt) attempts"))
            }
            try? await Task.sleep(for: .seconds(options.backoff.delay(attempt: attempt)))
        }
    }

    private func sessionEstablished(_ established: VoiceGatewaySession.Established, endpoint: String) {
        let (continuation, lostAt) = control.withLock { control in
            defer {
                control.firstReady = nil
                control.attempts = 0
                control.lostAt = nil
            }
            return (control.firstReady, control.lostAt)
        }
        if established.resumed {
            let downtime = lostAt.map { ContinuousClock.now - $0 } ?? .zero
            let ms = Double(downtime.components.seconds) * 1000 + Double(downtime.components.attoseconds) / 1e15
            eventInput.yield(.resumed(endpoint: endpoint, downtimeMs: ms))
        } else {
            eventInput.yield(.connected(endpoint: endpoint, mode: established.mode, ssrc: established.ssrc))
        }
        continuation?.resume()
    }

    /// After a move to `channel` (nil or the same one: no move), the next identify names it and
    /// DAVE's group follows it.
    private func follow(_ channel: String?) throws(VoiceError) {
        guard let channel, channel != control.withLock({ $0.identity.channelID }) else { return }
        try e2ee.move(toChannel: channel)
        control.withLock { $0.identity.channelID = channel }
    }

    /// Polls for a server update until the timeout; nil on timeout, on `gone` or when stopping.
    private func waitForServerUpdate() async -> (VoiceServer, String?)? {
        let deadline = ContinuousClock.now + .seconds(options.serverUpdateTimeout)
        while ContinuousClock.now < deadline {
            let (pending, stopping) = control.withLock { control -> (PendingUpdate?, Bool) in
                defer { control.pending = nil }
                return (control.pending, control.stopRequested)
            }
            if stopping { return nil }
            if case let .server(update, channel)? = pending { return (update, channel) }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return nil
    }

    private func finish(_ error: VoiceError) {
        sender.detach()
        sender.setSpeakingHandler(nil)
        let continuation = control.withLock { control in
            defer { control.firstReady = nil }
            control.finished = error
            return control.firstReady
        }
        eventInput.yield(.stopped(error))
        eventInput.finish()
        continuation?.resume(throwing: error)
    }

    private func finish(_ error: any Error) {
        finish(error as? VoiceError ?? .stopped("\(error)"))
    }
}
