import DAVE

/// One message the simulated DAVE gateway decided to send to one user.
///
/// The channel logic only decides; `VoiceServerSim` numbers, frames and writes, so the state
/// machine stays a plain value that can be reasoned about (and tested) without sockets.
enum DAVEOutgoing: Sendable, Equatable {
    /// A JSON opcode (11, 13, 21, 22, 24) with its `d` object, kept as JSON-ready values.
    case json(op: Int, data: JSONValue)
    /// A binary opcode (25, 27, 29, 30), framed with the session's sequence number on send.
    case binary(DAVEBinaryMessage)
}

/// The few JSON shapes the DAVE opcodes use, Sendable so they can leave the state lock.
enum JSONValue: Sendable, Equatable {
    case object([String: JSONValue])
    case array([JSONValue])
    case string(String)
    case int(Int)

    var foundation: Any {
        switch self {
        case let .object(fields): fields.mapValues(\.foundation)
        case let .array(items): items.map(\.foundation)
        case let .string(text): text
        case let .int(value): value
        }
    }
}

/// A delivery: who gets which message.
struct DAVEDelivery: Sendable, Equatable {
    var userID: String
    var message: DAVEOutgoing
}

/// What the channel asks of its host besides sending: a transition deadline to arm.
struct DAVEEffects: Sendable {
    var deliveries: [DAVEDelivery] = []
    /// Transition ids whose execute deadline (`transitionTimeout`) starts now.
    var armTimeouts: [UInt16] = []

    mutating func send(_ message: DAVEOutgoing, to userID: String) {
        deliveries.append(DAVEDelivery(userID: userID, message: message))
    }

    mutating func append(_ other: DAVEEffects) {
        deliveries += other.deliveries
        armTimeouts += other.armTimeouts
    }
}
