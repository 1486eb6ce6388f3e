import ArgumentParser
import CadenceBot
import Foundation

/// `cadence bot`: runs the Discord bot as a long-lived service until SIGTERM or SIGINT.
///
/// Settings come from the environment (DISCORD_TOKEN, CADENCE_*) over an optional JSON config
/// file over defaults; a bad setting exits 2 with one line per problem.
struct BotCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bot",
        abstract: "Run the Discord music bot (needs DISCORD_TOKEN).",
        discussion: """
            Environment: DISCORD_TOKEN (required), CADENCE_DB, CADENCE_DISCORD_API, CADENCE_DISCORD_GATEWAY,
            CADENCE_ALLOW_PRIVATE_NETWORK, CADENCE_HEALTH_PORT (loopback /healthz and /metrics; off by default),
            CADENCE_LOG_FORMAT (auto, human, logfmt, json), CADENCE_LOG_LEVEL, CADENCE_GUILD_ID (register
            commands in one guild), CADENCE_UMA_API, CADENCE_CONFIG (JSON file with the same keys nested,
            e.g. {"cadence": {"healthPort": 9100}}).
            Exit status: 0 after SIGTERM/SIGINT, 2 for a configuration problem (including an invalid token), 1 otherwise.
            """)

    @Option(help: "A JSON config file (environment variables override it).")
    var config: String?

    func run() async throws {
        let status = await BotLauncher.run(configFile: config, version: CadenceVersion.current)
        Foundation.exit(status)
    }
}

/// The version /about reports.
enum CadenceVersion {
    static let current = "0.9.0"
}
