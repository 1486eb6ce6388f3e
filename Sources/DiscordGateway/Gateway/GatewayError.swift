/// Why the gateway stopped for good, or why a call to it failed.
///
/// Fatal close codes (doc §1.11) end the client: reconnecting cannot fix them. The description
/// is one line an operator can act on, e.g. "the token is invalid (gateway close 4004)".
package enum GatewayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 4004: authentication failed.
    case invalidToken
    /// 4014: a privileged intent is not enabled in the Developer Portal.
    case disallowedIntents
    /// 4013: an intent bit is invalid.
    case invalidIntents
    /// 4010: the shard id or count is invalid.
    case invalidShard
    /// 4011: the bot is in too many guilds for one shard.
    case shardingRequired
    /// 4012: the API version is invalid.
    case invalidAPIVersion
    /// The first connection could not be opened after retrying.
    case connectionFailed(String)
    /// The daily Identify budget is spent (`session_start_limit.remaining == 0`).
    case identifyBudgetExhausted(resetAfterMs: Int)
    /// `close()` was called, or the client is not connected.
    case closed
    /// A payload the client was asked to send exceeds 4096 bytes (Discord would close 4002).
    case payloadTooLarge(Int)

    package var description: String {
        switch self {
        case .invalidToken: "the token is invalid (gateway close 4004); check DISCORD_TOKEN"
        case .disallowedIntents: "enable the intent in the Developer Portal: a privileged intent was requested (gateway close 4014)"
        case .invalidIntents: "the requested intents are invalid (gateway close 4013)"
        case .invalidShard: "the shard id or count is invalid (gateway close 4010)"
        case .shardingRequired: "sharding is required: use more shards (gateway close 4011)"
        case .invalidAPIVersion: "the gateway API version is invalid (gateway close 4012)"
        case let .connectionFailed(why): "could not connect to the Discord gateway: \(why)"
        case let .identifyBudgetExhausted(ms): "the daily identify budget is spent; it resets in \(ms / 1000) s"
        case .closed: "the gateway client is closed"
        case let .payloadTooLarge(size): "a gateway payload of \(size) bytes exceeds 4096 bytes"
        }
    }
}

/// What to do after the socket closed with a code (doc §1.11).
enum CloseAction: Equatable {
    case resume
    case identify
    case fatal(GatewayError)

    init(code: Int?) {
        switch code {
        case 4004: self = .fatal(.invalidToken)
        case 4010: self = .fatal(.invalidShard)
        case 4011: self = .fatal(.shardingRequired)
        case 4012: self = .fatal(.invalidAPIVersion)
        case 4013: self = .fatal(.invalidIntents)
        case 4014: self = .fatal(.disallowedIntents)
        case 4003, 4007, 4009: self = .identify
        default: self = .resume  // 4000–4002, 4005, 4008, 1000/1001 from the server, a bare drop
        }
    }
}
