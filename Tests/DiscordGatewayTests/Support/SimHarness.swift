import DiscordGateway
import DiscordSim
import Foundation
import Synchronization

/// A started DiscordSim and a GatewayClient pointed at it, with every event recorded.
final class SimHarness: Sendable {
    let sim: DiscordSim
    let client: GatewayClient
    let rest: DiscordREST
    private let recorded = Mutex<[GatewayEvent]>([])
    private let failure = Mutex<(any Error)?>(nil)
    private let finished = Mutex(false)

    /// Starts the simulator; the client finds the gateway through GET /gateway/bot.
    init(configure: (inout DiscordSim.Configuration) -> Void = { _ in }) async throws {
        var configuration = DiscordSim.Configuration()
        configure(&configuration)
        sim = DiscordSim(configuration: configuration)
        try await sim.start()
        var clientConfiguration = GatewayClient.Configuration(endpoints: DiscordEndpoints(apiBaseURL: sim.apiBaseURL))
        clientConfiguration.reconnectDelay = 0.05
        clientConfiguration.reidentifyDelay = 1...1.5
        clientConfiguration.initialConnectAttempts = 2
        client = GatewayClient(configuration: clientConfiguration)
        rest = DiscordREST(configuration: .init(token: configuration.token, baseURL: sim.apiBaseURL, maxBackoff: 0.2))
        let client = client
        Task { [weak self] in
            do {
                for try await event in client.events { self?.recorded.withLock { $0.append(event) } }
            } catch {
                self?.failure.withLock { $0 = error }
            }
            self?.finished.withLock { $0 = true }
        }
    }

    var events: [GatewayEvent] { recorded.withLock { $0 } }
    var streamError: (any Error)? { failure.withLock { $0 } }
    var streamFinished: Bool { finished.withLock { $0 } }

    /// Names of the recorded events, e.g. ["READY", "GUILD_CREATE", "RESUMED"].
    var eventNames: [String] { events.map(\.name) }

    /// Polls until `condition` holds or `timeout` seconds pass.
    func wait(timeout: Double = 5, _ condition: () -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition() { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition()
    }

    func stop() async {
        await client.close()
        await sim.shutdown()
    }
}

extension GatewayEvent {
    /// The dispatch name the event came from.
    var name: String {
        switch self {
        case .ready: "READY"
        case .guildCreate: "GUILD_CREATE"
        case .guildDelete: "GUILD_DELETE"
        case .interactionCreate: "INTERACTION_CREATE"
        case .voiceStateUpdate: "VOICE_STATE_UPDATE"
        case .voiceServerUpdate: "VOICE_SERVER_UPDATE"
        case .resumed: "RESUMED"
        case let .other(name): name
        }
    }
}
