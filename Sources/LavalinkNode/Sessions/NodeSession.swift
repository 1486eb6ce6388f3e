import Foundation

/// What a session sends down its socket.
package enum Outbound: Sendable {
    case text(String)
    case close(code: UInt16, reason: String)
}

/// One client's session: its players and its socket, Lavalink's resume rules included.
///
/// Guarantees: `ready` is the first op on every socket; while a resumable session's client
/// is away, its players keep playing and every event is queued, then replayed in order on
/// resume, followed by one `playerUpdate` per player; a session that does not resume
/// destroys its players as soon as its socket closes, or when its resume timeout passes.
package actor NodeSession {
    package let id: String
    package let userId: String
    package let clientName: String
    let context: NodeContext
    package internal(set) var resuming = false
    package internal(set) var timeout = 60
    var outlet: AsyncStream<Outbound>.Continuation?
    var queue: [String] = []
    var players: [String: NodePlayer] = [:]
    var expiry: Task<Void, Never>?
    var tickers: [Task<Void, Never>] = []
    package private(set) var closed = false
    /// Saved for a restart and halted: sends nothing more.
    var suspended = false
    var saver: Task<Void, Never>?

    package init(id: String, userId: String, clientName: String, context: NodeContext) {
        self.id = id
        self.userId = userId
        self.clientName = clientName
        self.context = context
    }

    package var isAttached: Bool { outlet != nil }

    /// Sends one op, or queues it while a resumable session's client is away.
    package func send(_ message: JSONValue) {
        guard !suspended else { return }
        let text = message.serialized()
        // A socket whose reader has already ended refuses the message: it is queued like one
        // sent after the close, not lost in the moment before `detach`.
        var delivered = false
        if let outlet, case .enqueued = outlet.yield(.text(text)) { delivered = true }
        if !delivered, resuming, !closed { queue.append(text) }
    }

    /// A socket took this session (new, or resumed): `ready` first, then what was queued.
    package func attach(_ newOutlet: AsyncStream<Outbound>.Continuation, resumed: Bool) async {
        expiry?.cancel()
        expiry = nil
        outlet = newOutlet
        let ready: JSONValue = ["op": "ready", "resumed": .bool(resumed), "sessionId": .string(id)]
        newOutlet.yield(.text(ready.serialized()))
        if resumed {
            for text in queue { newOutlet.yield(.text(text)) }
            queue.removeAll()
            for player in players.values { newOutlet.yield(.text(await player.playerUpdate().serialized())) }
        }
        startTickers()
    }

    /// The socket closed. A resumable session waits `timeout` seconds for its client.
    package func detach(_ gone: AsyncStream<Outbound>.Continuation) async {
        guard outlet != nil else { return }
        outlet = nil
        for ticker in tickers { ticker.cancel() }
        tickers.removeAll()
        if resuming, !closed {
            let seconds = timeout
            expiry = Task { [weak self] in
                try? await Task.sleep(for: .seconds(seconds))
                guard !Task.isCancelled else { return }
                await self?.close()
            }
        } else {
            await close()
        }
    }

    /// `PATCH /v4/sessions/{id}`. Clients that send milliseconds (magmastream) get them clamped to a day.
    package func configure(resuming: Bool?, timeout: Int64?) -> JSONValue {
        if let resuming { self.resuming = resuming }
        if let timeout { self.timeout = Int(min(max(timeout, 0), 86_400)) }
        if self.resuming { startSaver() }
        Task { await self.persist() }
        return ["resuming": .bool(self.resuming), "timeout": .int(Int64(self.timeout))]
    }

    /// Destroys every player and forgets the session.
    package func close() async {
        guard !closed, !suspended else { return }
        closed = true
        expiry?.cancel()
        saver?.cancel()
        try? await context.store?.delete(id: id)
        for ticker in tickers { ticker.cancel() }
        let all = players.values
        players.removeAll()
        for player in all { await player.destroy() }
        outlet?.finish()
        outlet = nil
        queue.removeAll()
        await context.sessions.remove(id)
    }

    /// Closes the socket with `code` (1001 at shutdown) and ends the session.
    package func shutdown(code: UInt16, reason: String) async {
        outlet?.yield(.close(code: code, reason: reason))
        outlet?.finish()
        outlet = nil
        await close()
    }

    // MARK: Players

    package func player(_ guildId: String) -> NodePlayer? { players[guildId] }

    package func allPlayers() -> [NodePlayer] { players.keys.sorted().compactMap { players[$0] } }

    /// The guild's player, created on first use (PATCH creates, as in Lavalink).
    package func playerCreating(_ guildId: String) async -> NodePlayer {
        if let existing = players[guildId] { return existing }
        let player = NodePlayer(guildId: guildId, userId: userId, context: context) { [weak self] message in
            await self?.send(message)
        }
        players[guildId] = player
        await player.start()
        return player
    }

    package func removePlayer(_ guildId: String) async -> Bool {
        guard let player = players.removeValue(forKey: guildId) else { return false }
        await player.destroy()
        return true
    }

    // MARK: Periodic ops

    private func startTickers() {
        for ticker in tickers { ticker.cancel() }
        let statsInterval = context.configuration.statsInterval
        let updateInterval = context.configuration.playerUpdateInterval
        let context = context
        tickers = [
            Task { [weak self] in
                while !Task.isCancelled {
                    guard let self else { return }
                    let stats = await context.stats.snapshot(context: context, includeFrames: true)
                    await self.send(stats.merging(["op": "stats"]))
                    try? await Task.sleep(for: .seconds(statsInterval))
                }
            },
            Task { [weak self] in
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(updateInterval))
                    guard let self, !Task.isCancelled else { return }
                    for player in await self.allPlayers() where await player.hasTrack {
                        await self.send(await player.playerUpdate())
                    }
                }
            }
        ]
    }
}

extension JSONValue {
    func merging(_ other: [String: JSONValue]) -> JSONValue {
        guard var members = objectValue else { return self }
        for (key, value) in other { members[key] = value }
        return .object(members)
    }
}
