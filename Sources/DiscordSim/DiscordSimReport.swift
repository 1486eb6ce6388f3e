import Foundation

/// Everything the simulator saw, for assertions.
package struct DiscordSimReport: Sendable {
    /// One REST call as received.
    package struct RESTCall: Sendable, Equatable {
        package var method: String
        package var path: String
        package var body: String
        package var status: Int
        package var authorized: Bool
        package var userAgentOK: Bool
        package var at: ContinuousClock.Instant
    }

    /// One op 4 the client sent.
    package struct VoiceStateCommand: Sendable, Equatable {
        package var guildID: String
        package var channelID: String?
        package var selfDeaf: Bool
        package var selfMute: Bool

        package init(guildID: String, channelID: String?, selfDeaf: Bool, selfMute: Bool) {
            self.guildID = guildID
            self.channelID = channelID
            self.selfDeaf = selfDeaf
            self.selfMute = selfMute
        }
    }

    package var restCalls: [RESTCall] = []
    /// Paths of WebSocket connections, in order ("/" fresh, "/resume" resume).
    package var gatewayConnections: [String] = []
    /// Connections that asked for `compress=zlib-stream`.
    package var compressedConnections = 0
    package var identifies = 0
    /// Identify calls answered with op 9 because they exceeded max_concurrency in the window.
    package var identifyRejections = 0
    /// Identify payloads' intents and shard, in order.
    package var identifyIntents: [Int] = []
    package var identifyShards: [[Int]] = []
    /// When each Identify arrived, for pacing checks.
    package var identifyTimes: [ContinuousClock.Instant] = []
    /// (session id, seq) of every op 6.
    package var resumes: [(sessionID: String, seq: Int?)] = []
    /// Why a Resume was refused (op 9 false or a close), one line each.
    package var resumeRejections: [String] = []
    package var heartbeats = 0
    /// The `d` of every heartbeat, in arrival order (nil: the client had no sequence yet).
    package var heartbeatSequences: [Int?] = []
    /// Heartbeats whose `d` was not the last sequence sent on that session.
    package var heartbeatSeqMismatches = 0
    /// Milliseconds from Hello to the first heartbeat, per connection.
    package var firstHeartbeatDelaysMs: [Double] = []
    package var voiceStateCommands: [VoiceStateCommand] = []
    /// Close codes the client sent.
    package var clientCloseCodes: [Int] = []
    /// Close codes the simulator sent.
    package var serverCloseCodes: [Int] = []
    package var rateLimited = 0
    /// Requests that came on a bucket before the `retry_after` of its last 429 had passed.
    package var earlyRetries = 0
    /// Protocol mistakes by the client, described (empty in a correct run).
    package var violations: [String] = []

    /// REST calls whose path contains `fragment`.
    package func calls(_ method: String, containing fragment: String) -> [RESTCall] {
        restCalls.filter { $0.method == method && $0.path.contains(fragment) }
    }
}
