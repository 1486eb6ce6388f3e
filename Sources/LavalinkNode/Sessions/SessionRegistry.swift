/// Every session of the node, by id.
package actor SessionRegistry {
    private var sessions: [String: NodeSession] = [:]
    /// Resumes granted at the handshake, not yet attached, so two sockets cannot take one session.
    private var claimed: Set<String> = []

    package init() {}

    package func session(_ id: String) -> NodeSession? { sessions[id] }

    package var all: [NodeSession] { Array(sessions.values) }

    package func create(userId: String, clientName: String, context: NodeContext) -> NodeSession {
        var id = Self.newID()
        while sessions[id] != nil { id = Self.newID() }
        let session = NodeSession(id: id, userId: userId, clientName: clientName, context: context)
        sessions[id] = session
        return session
    }

    /// A session read back from the store keeps its id, so its client can resume it.
    package func adopt(id: String, userId: String, clientName: String, context: NodeContext) -> NodeSession {
        let session = NodeSession(id: id, userId: userId, clientName: clientName, context: context)
        sessions[id] = session
        return session
    }

    /// A session the handshake may resume: resumable, away, and not already being taken.
    package func claim(_ id: String) async -> NodeSession? {
        guard let session = sessions[id], !claimed.contains(id), await session.resuming,
            await !session.isAttached, await !session.closed
        else { return nil }
        claimed.insert(id)
        return session
    }

    package func release(_ id: String) { claimed.remove(id) }

    package func remove(_ id: String) {
        sessions[id] = nil
        claimed.remove(id)
    }

    /// 16 characters of `[a-z0-9]`, as Lavalink's `generateUniqueSessionId`.
    static func newID() -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        return String((0..<16).map { _ in alphabet.randomElement()! })
    }
}
