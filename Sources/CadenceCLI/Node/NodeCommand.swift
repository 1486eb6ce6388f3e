import ArgumentParser
import Foundation
import LavalinkNode
import Logging

/// `cadence node`: serves Lavalink v4's API so Lavalink clients (wavelink, lavalink.py,
/// Shoukaku, …) play through Cadence. Runs until SIGTERM or SIGINT.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a Lavalink v4-compatible node on Cadence's engine.",
        discussion: """
            Reads Lavalink's application.yml keys (server.port, server.address, lavalink.server.password,
            lavalink.server.sources.*, lavalink.server.filters.*, lavalink.server.playerUpdateInterval,
            lavalink.server.trackStuckThresholdMs, lavalink.server.bufferDurationMs) from --config, or from
            ./application.yml when present; Spring-style environment names override them (SERVER_PORT,
            LAVALINK_SERVER_PASSWORD, …). CADENCE_ALLOW_PRIVATE_NETWORK=1 allows loopback media (tests).
            Binds 127.0.0.1:2333 by default; refuses any other address without a password.
            Exit status: 0 after SIGTERM/SIGINT, 2 for a configuration problem, 1 otherwise.
            """)

    @Option(help: "An application.yml (environment variables override it).")
    var config: String?

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let file = config ?? (FileManager.default.fileExists(atPath: "application.yml") ? "application.yml" : nil)
        let settings: NodeConfiguration
        do {
            settings = try NodeConfiguration.load(file: file, environment: environment)
            try settings.validate()
        } catch {
            FileHandle.standardError.write(Data("cadence node: \(error)\n".utf8))
            Foundation.exit(2)
        }
        var logger = Logger(label: "cadence.node")
        logger.logLevel = environment["CADENCE_LOG_LEVEL"].flatMap { Logger.Level(rawValue: $0) } ?? .info
        let server = LavalinkNodeServer(configuration: settings, logger: logger, handlesSignals: true)
        Task {
            if let port = await server.boundPort() {
                logger.info("listening", metadata: ["address": "\(settings.address)", "port": "\(port)"])
            }
        }
        do {
            try await server.run()
        } catch {
            throw CommandFailure(message: "node stopped: \(error)")
        }
    }
}
