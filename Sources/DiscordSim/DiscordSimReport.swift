import Foundation

/// Everything the simulator saw, for assertions.
public struct DiscordSimReport: Sendable {
    /// One REST call as received.
    public struct RESTCall: Sendable, Equatable {
        public var method: String
        public var path: String
        public var body: String
        public var status: Int
        public var authorized: Bool
        public var userAgentOK: Bool
        public var at: ContinuousClock.Instant
    }

    /// One op 4 the client sent.
    public struct VoiceStateCommand: Sendable, Equatable {
        public var guildID: String
        public var channelID: String?
        public var selfDeaf: Bool
        public var selfMute: Bool

        public init(guildID: String, channelID: String?, selfDeaf: Bool, selfMute: Bool) {
            self.guildID = guildID
            self.channelID = channelID
            self.selfDeaf = selfDeaf
            self.selfMute = selfMute
        }
    }

    public var restCalls: [RESTCall] = []
    /// Paths of WebSocket connections, in order ("/" fresh, "/resume" resume).
    public var gatewayConnections: [String] = []
    /// Connections that asked for `compress=zlib-stream`.
    public var compressedConnections = 0
    public var identifies = 0
    /// Identify calls answered with op 9 because they exceeded max_concurrency in the window.
    public var identifyRejections = 0
    /// Identify payloads' intents and shard, in order.
    public var identifyIntents: [Int] = []
    public var identifyShards: [[Int]] = []
    /// When each Identify arrived, for pacing checks.
    public var identifyTimes: [ContinuousClock.Instant] = []
    /// (session id, seq) of every op 6.
    public var resumes: [(sessionID: String, seq: Int?)] = []
    /// Why a Resume was refused (op 9 false or a close), one line each.
    public var resumeRejections: [String] = []
    public var heartbeats = 0
    /// The `d` of every heartbeat, in arrival order (nil: the client had no sequence yet).
    public var heartbeatSequences: [Int?] = []
    /// Heartbeats whose `d` was not the last sequence sent on that session.
    public var heartbeatSeqMismatches = 0
    /// Milliseconds from Hello to the first heartbeat, per connection.
    public var firstHeartbeatDelaysMs: [Double] = []
    public var voiceStateCommands: [VoiceStateCommand] = []
    /// Close codes the client sent.
    public var clientCloseCodes: [Int] = []
    /// Close codes the simulator sent.
    public var serverCloseCodes: [Int] = []
    public var rateLimited = 0
    /// Requests that came on a bucket before the `retry_after` of its last 429 had passed.
    public var earlyRetries = 0
    /// Protocol mistakes by the client, described (empty in a correct run).
    public var violations: [String] = []

    /// REST calls whose path contains `fragment`.
    public func calls(_ method: String, containing fragment: String) -> [RESTCall] {
        restCalls.filter { $0.method == method && $0.path.contains(fragment) }
    }
}
