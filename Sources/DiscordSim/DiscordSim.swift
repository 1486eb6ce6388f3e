import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A local stand-in for Discord's bot gateway and REST API on 127.0.0.1, for tests, the
/// benchmark and `make run` without a token (doc §7).
///
/// One port serves REST under `/api/v10` and the gateway WebSocket at `/` (fresh sessions) and
/// `/resume` (the `resume_gateway_url`, so a client that resumes on the wrong URL is caught).
/// It checks what the client sends (token, intents, heartbeat sequence, Resume instead of a
/// second Identify), answers op 4 with VOICE_STATE_UPDATE and VOICE_SERVER_UPDATE pointing at
/// a configurable voice endpoint, records every REST call and every gateway op, enforces
/// per-bucket rate limits with 429s, and misbehaves on request (kill, close codes, op 7, op 9,
/// heartbeat ACKs withheld, 429 storms). Session ids and interaction ids are deterministic.
package final class DiscordSim: Sendable {
    /// Fixed data and knobs set before start.
    package struct Configuration: Sendable {
        package var token = "sim-token"
        package var heartbeatIntervalMs = 1_000.0
        package var botUserID = "100000000000000001"
        package var botUsername = "cadence"
        package var applicationID = "110000000000000000"
        package var guilds: [SimGuild] = [SimGuild()]
        /// What VOICE_SERVER_UPDATE carries as `endpoint` (e.g. a VoiceServerSim's endpoint).
        package var voiceEndpoint: String? = "127.0.0.1:1"
        /// Told of every voice state of the bot the simulator announces (guild, user, channel or
        /// nil), as Discord's voice servers learn them from Discord and never from the client: a
        /// test wires it to `VoiceServerSim.setVoiceChannel`.
        package var voiceStateObserver: (@Sendable (_ guildID: String, _ userID: String, _ channelID: String?) -> Void)?
        /// Send VOICE_SERVER_UPDATE before VOICE_STATE_UPDATE in answer to op 4.
        package var voiceServerFirst = false
        /// Requests allowed per bucket per `bucketWindow` seconds before a 429.
        package var bucketLimit = 5
        package var bucketWindow = 1.0
        /// Shards announced by /gateway/bot.
        package var shards = 1
        package var maxConcurrency = 1
        /// When > 0, more than `maxConcurrency` Identify calls within this many seconds get op 9
        /// `false`, as Discord answers an Identify over the concurrency limit.
        package var identifyWindow = 0.0
        /// Client messages allowed per connection per 60 s before close 4008 (Discord: 120).
        package var gatewaySendLimit = 120
        /// The window of `gatewaySendLimit` in seconds (Discord: 60).
        package var gatewaySendWindow = 60.0
        /// Seconds the first interaction callback may take (Discord: 3 s).
        package var interactionDeadline = 3.0

        package init() {}
    }

    struct Session {
        var id: String
        var seq = 0
        var buffered: [(seq: Int, json: String)] = []
        var valid = true
    }

    struct Connection {
        let channel: any Channel
        let path: String
        var sessionID: String?
        var openedAt = ContinuousClock.now
        var lastHeartbeat: ContinuousClock.Instant?
        /// When each client message arrived in the last minute (Discord closes 4008 above 120).
        var received: [ContinuousClock.Instant] = []
        /// Set when the client asked for `compress=zlib-stream`.
        var deflater: ZlibStreamDeflater?
    }

    struct Bucket {
        var windowStart: ContinuousClock.Instant
        var count = 0
        var retryNotBefore: ContinuousClock.Instant?
    }

    struct Interaction {
        var token: String
        var createdAt: ContinuousClock.Instant
        var answered = false
    }

    struct State {
        var sessions: [String: Session] = [:]
        /// The bot's voice session id per guild, which a move keeps (as Discord does).
        var voiceSessions: [String: String] = [:]
        var connections: [ObjectIdentifier: Connection] = [:]
        var buckets: [String: Bucket] = [:]
        var interactions: [String: Interaction] = [:]
        var report = DiscordSimReport()
        var ackHeartbeats = true
        var storm: (remaining: Int, retryAfter: Double, global: Bool)?
        var globalNotBefore: ContinuousClock.Instant?
        var nextID = 0
        var answerResumeWithInvalidSession: Bool?
        var serverErrors: (remaining: Int, status: Int)?
        var voiceEndpointOverride: String??
        var recentIdentifies: [ContinuousClock.Instant] = []
    }

    package let configuration: Configuration
    let state = Mutex(State())
    let listener = Mutex<(any Channel)?>(nil)

    package init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// Binds 127.0.0.1 on a free port and starts serving.
    package func start() async throws {
        let channel = try await bind()
        listener.withLock { $0 = channel }
    }

    /// Closes every connection and the listener.
    package func shutdown() async {
        let channels = state.withLock { $0.connections.values.map(\.channel) }
        for channel in channels { try? await channel.close() }
        try? await listener.withLock { $0 }?.close()
    }

    package var port: Int { listener.withLock { $0?.localAddress?.port } ?? 0 }
    /// `http://127.0.0.1:P/api/v10`, the REST base URL a client takes.
    package var apiBaseURL: String { "http://127.0.0.1:\(port)/api/v10" }
    /// `ws://127.0.0.1:P/`, what /gateway/bot returns.
    package var gatewayURL: String { "ws://127.0.0.1:\(port)/" }
    /// Where READY tells the client to resume.
    package var resumeGatewayURL: String { "ws://127.0.0.1:\(port)/resume" }

    /// A snapshot of everything received.
    package var report: DiscordSimReport { state.withLock { $0.report } }

    /// Polls the report until `condition` holds or `timeout` seconds pass.
    package func waitUntil(timeout: Double, _ condition: (DiscordSimReport) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while ContinuousClock.now < deadline {
            if condition(report) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(report)
    }

    /// A deterministic id: `prefix` followed by a counter.
    func nextID(_ prefix: String) -> String {
        state.withLock { state in
            state.nextID += 1
            return "\(prefix)\(state.nextID)"
        }
    }
}

/// A guild the simulator announces in READY and GUILD_CREATE.
package struct SimGuild: Sendable {
    package var id: String
    package var name: String
    /// (id, name) of voice channels (type 2).
    package var voiceChannels: [(id: String, name: String)]
    /// (user id, channel id) of users already in voice.
    package var voiceStates: [(userID: String, channelID: String)]

    package init(
        id: String = "900000000000000000", name: String = "Sim Guild",
        voiceChannels: [(id: String, name: String)] = [("900000000000000020", "Music")],
        voiceStates: [(userID: String, channelID: String)] = [("800000000000000001", "900000000000000020")]
    ) {
        self.id = id
        self.name = name
        self.voiceChannels = voiceChannels
        self.voiceStates = voiceStates
    }
}
