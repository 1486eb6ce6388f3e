import Foundation

/// The gateway envelope `{op, d, s, t}` (doc §1.2): the header is decoded first, then `d` as
/// the type the opcode or event name calls for.
struct GatewayEnvelope: Decodable {
    var op: Int
    var s: Int?
    var t: String?
}

/// Decodes only `d` of an envelope.
struct GatewayData<D: Decodable>: Decodable {
    var d: D
}

struct HelloData: Decodable {
    var heartbeatInterval: Double
    enum CodingKeys: String, CodingKey { case heartbeatInterval = "heartbeat_interval" }
}

struct GuildDeleteData: Decodable {
    var id: Snowflake
    var unavailable: Bool?
}

/// Messages the client sends. Each renders to JSON text; `send` refuses anything over 4096 bytes.
enum GatewayCommand: Sendable {
    case heartbeat(seq: Int?)
    case identify(token: String, intents: GatewayIntents, shard: ShardID, presence: Presence?, largeThreshold: Int)
    case resume(token: String, sessionID: String, seq: Int?)
    case updateVoiceState(guild: Snowflake, channel: Snowflake?, selfMute: Bool, selfDeaf: Bool)

    var json: String {
        let object: [String: Any]
        switch self {
        case let .heartbeat(seq):
            object = ["op": 1, "d": seq.map { $0 as Any } ?? NSNull()]
        case let .identify(token, intents, shard, presence, largeThreshold):
            var d: [String: Any] = [
                "token": token, "intents": intents.rawValue,
                "properties": ["os": "linux", "browser": "cadence", "device": "cadence"],
                "shard": [shard.id, shard.count], "large_threshold": largeThreshold, "compress": false
            ]
            if let presence { d["presence"] = presence.json }
            object = ["op": 2, "d": d]
        case let .resume(token, sessionID, seq):
            object = ["op": 6, "d": ["token": token, "session_id": sessionID, "seq": seq.map { $0 as Any } ?? NSNull()]]
        case let .updateVoiceState(guild, channel, selfMute, selfDeaf):
            object = [
                "op": 4,
                "d": [
                    "guild_id": guild.rawValue, "channel_id": channel.map { $0.rawValue as Any } ?? NSNull(),
                    "self_mute": selfMute, "self_deaf": selfDeaf
                ]
            ]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// What logs may show: the opcode, never the token.
    var name: String {
        switch self {
        case .heartbeat: "heartbeat"
        case .identify: "identify"
        case .resume: "resume"
        case .updateVoiceState: "voice state update"
        }
    }
}
