import ArgumentParser
import Foundation
import Store

/// `cadence db`: inspects and cleans the local database.
struct DBCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "db",
        abstract: "Inspect or clean the local database (API cache, resolved tracks, metrics).",
        subcommands: [DBStatsCommand.self, DBPurgeCommand.self, DBClearCommand.self, DBStressInsertCommand.self])
}

/// Where the database is, shared by every `db` subcommand.
struct DBLocation: ParsableArguments {
    @Option(help: "The database file (default: $CADENCE_DB, else under $XDG_DATA_HOME/cadence).")
    var db: String?
}

struct DBStatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Cache and table counts.")

    @OptionGroup var location: DBLocation
    @Flag(help: "Print JSON.") var json = false

    struct Report: Encodable {
        let path: String
        let cache: CacheStats
        let resolvedTracks: Int
        let metrics: Int
    }

    func run() throws {
        let database = try StoreCommandSupport.open(location.db)
        let report = try StoreCommandSupport.run {
            Report(
                path: database.path,
                cache: try CharacterSearchCacheRepository(database: database).stats(at: Date()),
                resolvedTracks: try ResolvedTrackRepository(database: database).count(),
                metrics: try PipelineMetricRepository(database: database).count())
        }
        if json { return try StoreCommandSupport.printJSON(report) }
        let c = report.cache
        let kinds = CacheKind.allCases.map { "\($0.rawValue) \(c.byKind[$0] ?? 0)" }.joined(separator: ", ")
        print(
            """
            database: \(report.path)
            cache: total \(c.total), active \(c.active), expired \(c.expired), bytes \(c.bytes)
            by kind: \(kinds)
            resolved tracks: \(report.resolvedTracks)
            metrics: \(report.metrics)
            """)
    }
}

struct DBPurgeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete expired cache rows and resolved tracks, and metrics older than 30 days.")

    @OptionGroup var location: DBLocation

    func run() throws {
        let database = try StoreCommandSupport.open(location.db)
        let report = try StoreCommandSupport.run { try StoreMaintenance(database: database).purge(now: Date(), keepStale: false) }
        print("purged: cache \(report.cacheRows + report.evictedRows), resolved tracks \(report.resolvedTracks), metrics \(report.metrics)")
    }
}

struct DBClearCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clear", abstract: "Delete every cache row and resolved track (and metrics with --metrics).")

    @OptionGroup var location: DBLocation
    @Flag(help: "Also delete the pipeline metrics.") var metrics = false

    func run() throws {
        let database = try StoreCommandSupport.open(location.db)
        let counts = try StoreCommandSupport.run {
            (
                try CharacterSearchCacheRepository(database: database).deleteAll(),
                try ResolvedTrackRepository(database: database).deleteAll(),
                metrics ? try PipelineMetricRepository(database: database).deleteAll() : 0
            )
        }
        print("cleared: cache \(counts.0), resolved tracks \(counts.1), metrics \(counts.2)")
    }
}

/// Hidden: inserts rows one transaction each and prints each id once committed, so a test
/// can kill it mid-run and check that every printed row survived.
struct DBStressInsertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stress-insert", abstract: "Crash-safety test writer.", shouldDisplay: false)

    @OptionGroup var location: DBLocation
    @Option var count = 10_000

    func run() throws {
        let database = try StoreCommandSupport.open(location.db)
        let repository = PipelineMetricRepository(database: database)
        for index in 0..<count {
            let metric = PipelineMetricRecord(
                trackTitle: "stress \(index)", framesSent: index, framesNulled: 0, framesDeficit: 0, recoveries: 0,
                pacingP99Ms: 20, durationMs: index * 20)
            try StoreCommandSupport.run { try repository.insert(metric) }
            // FileHandle writes go straight to the pipe, so a printed id is a committed id.
            FileHandle.standardOutput.write(Data("\(metric.id.uuidString.lowercased())\n".utf8))
        }
    }
}
