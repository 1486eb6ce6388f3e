import Foundation
import Testing

@testable import CadenceBot

@Suite struct BotConfigurationValidationTests {
    let token = "MTAxNjQ4.fake-token.for-tests_only"

    @Test func environmentAloneIsEnoughAndDefaultsFillTheRest() async throws {
        let config = try await BotConfiguration.load(environment: ["DISCORD_TOKEN": token])
        #expect(config.token.revealed == token)
        #expect(config.discordAPI.absoluteString == "https://discord.com/api/v10")
        #expect(config.discordGateway == nil)
        #expect(config.healthPort == nil, "the health endpoint is off unless asked for")
        #expect(!config.allowPrivateNetwork)
        #expect(config.databasePath == "cadence.sqlite")
    }

    @Test func environmentOverridesTheConfigFileWhichOverridesDefaults() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-config-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("cadence.json")
        try Data(#"{"cadence": {"healthPort": 9100, "logFormat": "json", "db": "/var/lib/cadence/file.sqlite"}}"#.utf8)
            .write(to: file)
        let config = try await BotConfiguration.load(
            environment: ["DISCORD_TOKEN": token, "CADENCE_DB": "/tmp/env.sqlite", "CADENCE_CONFIG": file.path])
        #expect(config.databasePath == "/tmp/env.sqlite")
        #expect(config.healthPort == 9100)
        #expect(config.logFormat == .json)
    }

    @Test func everyProblemIsReportedOnItsOwnLine() async {
        let environment = [
            "CADENCE_DISCORD_API": "not a url", "CADENCE_DISCORD_GATEWAY": "http://example.com",
            "CADENCE_HEALTH_PORT": "70000", "CADENCE_ALLOW_PRIVATE_NETWORK": "maybe",
            "CADENCE_LOG_FORMAT": "xml", "CADENCE_GUILD_ID": "my-server"
        ]
        do {
            _ = try await BotConfiguration.load(environment: environment)
            Issue.record("a configuration with seven problems was accepted")
        } catch {
            let settings = error.problems.map(\.setting)
            #expect(
                settings == [
                    "DISCORD_TOKEN", "CADENCE_DISCORD_API", "CADENCE_DISCORD_GATEWAY",
                    "CADENCE_ALLOW_PRIVATE_NETWORK", "CADENCE_HEALTH_PORT", "CADENCE_LOG_FORMAT",
                    "CADENCE_GUILD_ID"
                ])
            #expect(error.lines.allSatisfy { !$0.contains("\n") && $0.hasPrefix("configuration: ") })
        }
    }

    @Test func aMissingConfigFileIsOneClearProblem() async {
        await #expect(throws: BotConfigurationError.self) {
            try await BotConfiguration.load(
                environment: ["DISCORD_TOKEN": token],
                configFile: "/nonexistent/cadence.json")
        }
    }

    @Test func systemdStateDirectoryHoldsTheDatabase() async throws {
        let config = try await BotConfiguration.load(
            environment: ["DISCORD_TOKEN": token, "STATE_DIRECTORY": "/var/lib/cadence"])
        #expect(config.databasePath == "/var/lib/cadence/cadence.sqlite")
    }
}
