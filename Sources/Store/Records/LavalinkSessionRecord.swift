import Foundation
import GRDB

/// A resumable Lavalink session of `cadence node`, kept so that a node restart drops nobody's
/// music: the node rebuilds the session and its players (voice, track, position) from it and
/// waits `timeoutSeconds` for the client to resume, as after a socket loss.
///
/// `players` is the node's own JSON snapshot of each player; the Store does not read it.
public struct LavalinkSessionRecord: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var userID: String
    public var clientName: String
    public var timeoutSeconds: Int
    public var players: String
    public var savedAt: Date

    public init(id: String, userID: String, clientName: String, timeoutSeconds: Int, players: String, savedAt: Date = Date()) {
        self.id = id
        self.userID = userID
        self.clientName = clientName
        self.timeoutSeconds = timeoutSeconds
        self.players = players
        self.savedAt = savedAt
    }
}

extension LavalinkSessionRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "lavalinkSession"
}
