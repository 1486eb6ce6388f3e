import Foundation
import Store

extension NodeSession {
    /// Keeps the session's row current while it is resumable (once a second, so a crash loses
    /// at most a second of position), and removes it when it stops being resumable.
    func persist() async {
        guard let store = context.store, !closed, !suspended else { return }
        if resuming {
            do { try await store.save(await record()) } catch {
                context.logger.warning("could not save session", metadata: ["session": "\(id)", "error": "\(error)"])
            }
        } else {
            try? await store.delete(id: id)
        }
    }

    func record() async -> LavalinkSessionRecord {
        var players: [JSONValue] = []
        for player in allPlayers() { players.append(await player.snapshot()) }
        return LavalinkSessionRecord(
            id: id, userID: userId, clientName: clientName, timeoutSeconds: timeout,
            players: JSONValue.array(players).serialized())
    }

    func startSaver() {
        guard context.store != nil, saver == nil else { return }
        saver = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(1))
                guard let self, await self.resuming, await !self.closed, await !self.suspended else { return }
                await self.persist()
            }
        }
    }

    /// SIGTERM with a store: the final position is saved, the socket gets 1001, audio stops,
    /// and the next process picks the session up (`NodeContext.restoreSessions`).
    package func suspendForRestart() async {
        saver?.cancel()
        await persist()
        suspended = true
        outlet?.yield(.close(code: 1001, reason: "Server restarting"))
        outlet?.finish()
        outlet = nil
        for player in players.values { await player.halt() }
    }

    /// A session read back from the store: away, resumable, its timeout counting from now.
    package func restore(players snapshots: [JSONValue]) async {
        resuming = true
        for snapshot in snapshots {
            guard case let .string(guild)? = snapshot["guildId"] else { continue }
            let player = await playerCreating(guild)
            await player.restore(from: snapshot)
        }
        // The client saw these tracks start already; a resume replays only what is new.
        queue.removeAll()
        startSaver()
        let seconds = timeout
        expiry = Task { [weak self] in
            try? await Task.sleep(for: .seconds(seconds))
            guard !Task.isCancelled else { return }
            await self?.close()
        }
    }

    package func setRestoredTimeout(_ seconds: Int) { timeout = seconds }
}
