import Foundation
import GRDB

/// The bot's one SQLite database: API cache rows, resolved tracks and pipeline metrics.
///
/// Opens a `DatabasePool` in WAL mode, so readers never wait for the writer, with a busy
/// timeout so a second process (the CLI next to a running bot) waits instead of failing.
/// Opening applies every migration, so a value of this type always has the current schema.
public final class AppDatabase: Sendable {
    /// The connection pool every repository reads and writes through.
    package let writer: DatabasePool
    /// The database file on disk.
    package let path: String

    /// How long a connection waits for another process's lock before failing.
    package static let busyTimeout: TimeInterval = 5

    /// Opens (creating when needed) the database at `path` and migrates it.
    public init(path: String) throws(StoreError) {
        self.path = path
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw .cannotOpen(path: path, reason: "cannot create \(directory.path): \(error)")
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.prepareDatabase { db in
            // WAL + NORMAL loses no committed transaction when the process dies; only an OS
            // crash can drop the last commits, which is acceptable for a cache and metrics.
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
            try Self.migrator.migrate(writer)
        } catch {
            throw .cannotOpen(path: path, reason: "\(error)")
        }
    }

    /// `$CADENCE_DB`, else `$XDG_DATA_HOME/cadence/cadence.sqlite`, else
    /// `~/.local/share/cadence/cadence.sqlite`.
    package static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let path = environment["CADENCE_DB"], !path.isEmpty { return path }
        let dataHome: String
        if let xdg = environment["XDG_DATA_HOME"], xdg.hasPrefix("/") {
            dataHome = xdg
        } else {
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? NSHomeDirectory()
            dataHome = home + "/.local/share"
        }
        return dataHome + "/cadence/cadence.sqlite"
    }

    /// Runs `PRAGMA integrity_check` and returns its rows ("ok" alone when the file is sound).
    package func integrityCheck() throws(StoreError) -> [String] {
        do {
            return try writer.read { db in try String.fetchAll(db, sql: "PRAGMA integrity_check") }
        } catch {
            throw .database(operation: "integrity_check", reason: "\(error)")
        }
    }
}
