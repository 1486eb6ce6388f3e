import DiscordVoice
import Foundation

extension NodePlayer {
    /// Lavalink's reconnect rule: connect when there is no live connection or any of the four
    /// fields changed; a repeat of the same voice state is a no-op. Returns once audio can flow.
    func updateVoice(_ new: VoiceState) async throws(NodeHTTPError) {
        if let connection, connection.stopReason == nil, new == voice { return }
        voice = new
        await closeVoice()
        let connection = VoiceConnection(
            identity: VoiceIdentity(guildID: guildId, userID: userId, sessionID: new.sessionId, channelID: new.channelId),
            server: VoiceServer(endpoint: new.endpoint, token: new.token),
            logger: context.logger)
        do {
            try await connection.connect()
        } catch {
            context.logger.warning("voice connect failed", metadata: ["guild": "\(guildId)", "error": "\(error)"])
            throw .internalError("Failed to connect to voice server")
        }
        guard !destroyed else {
            await connection.disconnect()
            return
        }
        self.connection = connection
        sink.attach(connection.sender)
        voiceWatcher = watch(connection)
        // mafic's connect() waits for this update before any track.
        await emit(playerUpdate())
    }

    func closeVoice() async {
        voiceWatcher?.cancel()
        voiceWatcher = nil
        sink.attach(nil)
        if let old = connection {
            connection = nil
            await old.disconnect()
        }
    }

    /// WebSocketClosed goes to the client only for closes Cadence cannot recover alone: a
    /// resumed 4015 or a re-identify must not make a client destroy a healthy player.
    private func watch(_ connection: VoiceConnection) -> Task<Void, Never> {
        let events = connection.events
        return Task { [weak self] in
            for await event in events {
                guard let self else { return }
                switch event {
                case let .disconnected(code, reason, action):
                    switch action {
                    case .resume, .reidentify: continue
                    case .rejoin, .waitForServerUpdate, .stop:
                        await self.voiceClosed(code: code ?? 1006, reason: reason)
                    }
                case .connected, .resumed:
                    await self.emit(await self.playerUpdate())
                case .rejoinRequested, .stopped:
                    continue
                }
            }
        }
    }

    private func voiceClosed(code: Int, reason: String) async {
        await emitEvent("WebSocketClosedEvent", ["code": .int(Int64(code)), "reason": .string(reason), "byRemote": true])
        await emit(playerUpdate())
    }

    /// DELETE, or the end of a session that does not resume: the track ends `stopped`, the
    /// engine sends its silence tail, and voice closes.
    package func destroy() async {
        guard !destroyed else { return }
        await stopTrack()
        destroyed = true
        for _ in 0..<15 where engine.isActive { try? await Task.sleep(for: .milliseconds(20)) }
        endWatcher?.cancel()
        await closeVoice()
        eventTask?.cancel()
    }
}
