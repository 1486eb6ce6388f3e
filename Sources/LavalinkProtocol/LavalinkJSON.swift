/// Any JSON value, for the parts of Lavalink's JSON that are free-form: a track's `pluginInfo`
/// and `userData`. Integers stay integers (a client's ids and timestamps round-trip exactly).
package enum LavalinkJSON: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case array([LavalinkJSON])
    case object([String: LavalinkJSON])

    /// `{}`: what Lavalink sends for an empty `pluginInfo` or `userData`.
    package static let emptyObject = LavalinkJSON.object([:])

    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([LavalinkJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: LavalinkJSON].self))
        }
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .integer(value): try container.encode(value)
        case let .double(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }
}
