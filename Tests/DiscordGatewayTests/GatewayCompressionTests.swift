import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("Gateway transport: zlib-stream")
struct GatewayCompressionTests {
    @Test func compressedSessionDecodesEveryDispatchAndResumesOnAFreshStream() async throws {
        let sim = DiscordSim()
        try await sim.start()
        var configuration = GatewayClient.Configuration(endpoints: DiscordEndpoints(apiBaseURL: sim.apiBaseURL))
        configuration.zlibStream = true
        configuration.reconnectDelay = 0.05
        let client = GatewayClient(configuration: configuration)
        let ready = try await client.connect(token: sim.configuration.token)
        #expect(ready.user.id == Snowflake(sim.configuration.botUserID))
        for index in 0..<20 { sim.sendInteraction(command: "play", options: [.init("query", .string("track \(index)"))]) }
        sim.killGateway()
        sim.sendInteraction(command: "skip")
        var queries: [String] = []
        var names: [String] = []
        for try await event in client.events {
            names.append(event.name)
            if case let .interactionCreate(interaction) = event {
                queries.append(interaction.option("query")?.stringValue ?? interaction.commandName ?? "")
            }
            if case .resumed = event { break }
        }
        #expect(queries == (0..<20).map { "track \($0)" } + ["skip"])
        // GUILD_CREATE may interleave with the injected interactions; it must be there, once.
        #expect(names.first == "READY")
        #expect(names.filter { $0 == "GUILD_CREATE" }.count == 1)
        #expect(sim.report.compressedConnections == 2)
        #expect(sim.report.identifies == 1)
        await client.close()
        await sim.shutdown()
    }
}
