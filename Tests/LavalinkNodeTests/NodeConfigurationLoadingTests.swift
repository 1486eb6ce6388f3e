import CadenceTestSupport
import Foundation
import LavalinkNode
import Testing

/// A Lavalink `application.yml` and its Spring-style environment names configure the node.
@Suite struct NodeConfigurationLoadingTests {
    static let yaml = """
        server:
          port: 2444
          address: 0.0.0.0
        lavalink:
          server:
            password: "youshallnotpass"
            sources:
              youtube: false
              local: true
            filters:
              timescale: false
            playerUpdateInterval: 2
            trackStuckThresholdMs: 4000
            bufferDurationMs: 1200
        metrics:
          prometheus:
            enabled: true
            endpoint: /prom
        logging:
          level:
            root: INFO
        """

    @Test func anApplicationYmlIsReadWithLavalinksKeys() throws {
        let file = try Tools.temporaryDirectory("node-config").appendingPathComponent("application.yml")
        try Self.yaml.write(to: file, atomically: true, encoding: .utf8)
        let settings = try NodeConfiguration.load(file: file.path, environment: [:])
        #expect(settings.port == 2444)
        #expect(settings.address == "0.0.0.0")
        #expect(settings.password == "youshallnotpass")
        #expect(settings.sources["youtube"] == false && settings.sources["local"] == true && settings.sources["http"] == true)
        #expect(settings.filters["timescale"] == false)
        #expect(settings.playerUpdateInterval == 2 && settings.trackStuckThresholdMs == 4000 && settings.bufferDurationMs == 1200)
        #expect(settings.prometheusEnabled && settings.prometheusEndpoint == "/prom")
        try settings.validate()
    }

    @Test func springEnvironmentNamesOverrideTheFile() throws {
        let file = try Tools.temporaryDirectory("node-config").appendingPathComponent("application.yml")
        try Self.yaml.write(to: file, atomically: true, encoding: .utf8)
        let settings = try NodeConfiguration.load(
            file: file.path,
            environment: [
                "SERVER_PORT": "2555", "LAVALINK_SERVER_PASSWORD": "from-env", "LAVALINK_SERVER_SOURCES_YOUTUBE": "true",
                "LAVALINK_SERVER_PLAYERUPDATEINTERVAL": "3", "LAVALINK_SERVER_TRACK_STUCK_THRESHOLD_MS": "7000",
                "CADENCE_DB": "/tmp/node.sqlite", "UNRELATED": "x"
            ])
        #expect(settings.port == 2555)
        #expect(settings.password == "from-env")
        #expect(settings.sources["youtube"] == true)
        #expect(settings.playerUpdateInterval == 3)
        #expect(settings.trackStuckThresholdMs == 7000)
        #expect(settings.databasePath == "/tmp/node.sqlite")
    }

    @Test func defaultsBindLoopback2333AndAnOpenAddressNeedsAPassword() throws {
        let defaults = try NodeConfiguration.load(file: nil, environment: [:])
        #expect(defaults.address == "127.0.0.1" && defaults.port == 2333)
        #expect(!defaults.prometheusEnabled && defaults.prometheusEndpoint == "/metrics")
        let scraped = try NodeConfiguration.load(file: nil, environment: ["METRICS_PROMETHEUS_ENABLED": "true"])
        #expect(scraped.prometheusEnabled)
        try defaults.validate()
        let open = try NodeConfiguration.load(file: nil, environment: ["SERVER_ADDRESS": "0.0.0.0"])
        #expect(throws: NodeConfigurationError.noPassword(address: "0.0.0.0")) { try open.validate() }
        #expect(throws: NodeConfigurationError.self) { try NodeConfiguration.load(file: nil, environment: ["SERVER_PORT": "many"]) }
    }

    @Test func theCommandRefusesAnOpenAddressWithoutAPasswordWithOneLineAndExit2() async throws {
        let binary = Tools.cadenceExecutable
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build the cadence product first")
        let result = try await Tools.runOffPool("/usr/bin/env", ["-i", "SERVER_ADDRESS=0.0.0.0", binary.path, "node"], timeout: 30)
        let text = String(decoding: result.stderr, as: UTF8.self)
        #expect(result.status == 2)
        #expect(text.split(separator: "\n").count == 1)
        #expect(text.contains("password"))
    }
}
