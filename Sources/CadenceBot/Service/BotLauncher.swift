import Foundation
import Logging
import ServiceLifecycle

/// What `cadence bot` does: load and check the configuration, set up logging, and run the
/// service under a service group that turns SIGTERM/SIGINT into a graceful shutdown.
///
/// Exit statuses: 0 after a graceful shutdown; 2 for a configuration problem (each problem on
/// its own stderr line, or the one fatal gateway reason such as an invalid token); 1 otherwise.
public enum BotLauncher {
    public static func run(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        configFile: String? = nil, version: String = "dev"
    ) async -> Int32 {
        let configuration: BotConfiguration
        do {
            configuration = try await BotConfiguration.load(environment: environment, configFile: configFile)
        } catch {
            for line in error.lines { printError(line) }
            return 2
        }
        BotLogHandler.bootstrap(configuration)
        var logger = Logger(label: "cadence.bot")
        logger.logLevel = configuration.logLevel
        logger.info("starting", metadata: ["configuration": "\(configuration)"])
        let service = BotService(configuration: configuration, logger: logger, version: version)
        var groupConfiguration = ServiceGroupConfiguration(
            services: [
                .init(
                    service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                    failureTerminationBehavior: .gracefullyShutdownGroup)
            ],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        // The unit's TimeoutStopSec is 10 s; the service's own shutdown takes well under 5.
        groupConfiguration.maximumGracefulShutdownDuration = .seconds(4)
        groupConfiguration.maximumCancellationDuration = .seconds(1)
        do {
            try await ServiceGroup(configuration: groupConfiguration).run()
            return 0
        } catch let error as BotServiceError {
            printError("cadence: \(Redactor(secrets: [configuration.token.revealed]).redact(error.message))")
            return error.isConfigurationProblem ? 2 : 1
        } catch {
            printError("cadence: \(Redactor(secrets: [configuration.token.revealed]).redact("\(error)"))")
            return 1
        }
    }

    static func printError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
