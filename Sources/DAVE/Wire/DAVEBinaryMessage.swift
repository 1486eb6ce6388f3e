/// A DAVE binary frame as it crosses the voice gateway.
///
/// Server → client frames start with a big-endian u16 sequence number (shared with the JSON
/// `seq` counter) and the opcode byte; client → server frames carry only the opcode byte.
/// Parsing is strict: a frame too short for its fields is an error, never a crash.
package enum DAVEBinaryMessage: Equatable, Sendable {
    /// op 25: the MLS ExternalSender struct (parsed by the MLS layer).
    case externalSender(package: [UInt8])
    /// op 26: a bare MLS KeyPackage.
    case keyPackage([UInt8])
    /// op 27: `append` carries concatenated MLSMessages, `revoke` concatenated V(ProposalRef)s,
    /// both as the vector body (the bytes after the operation type, starting at the varint).
    case proposals(ProposalsOperation, vector: [UInt8])
    /// op 28: MLSMessage(commit) followed by an optional bare Welcome.
    case commitWelcome([UInt8])
    /// op 29
    case announceCommit(transitionID: UInt16, commit: [UInt8])
    /// op 30
    case welcome(transitionID: UInt16, welcome: [UInt8])

    package enum ProposalsOperation: UInt8, Sendable {
        case append = 0
        case revoke = 1
    }

    package var opcode: DAVEOpcode {
        switch self {
        case .externalSender: .externalSender
        case .keyPackage: .keyPackage
        case .proposals: .proposals
        case .commitWelcome: .commitWelcome
        case .announceCommit: .announceCommitTransition
        case .welcome: .welcome
        }
    }

    /// The payload after the opcode byte.
    package var payload: [UInt8] {
        switch self {
        case let .externalSender(bytes), let .keyPackage(bytes), let .commitWelcome(bytes):
            bytes
        case let .proposals(operation, vector):
            [operation.rawValue] + vector
        case let .announceCommit(id, bytes), let .welcome(id, bytes):
            [UInt8(id >> 8), UInt8(id & 0xFF)] + bytes
        }
    }

    /// The frame a server sends: `[seq u16][op][payload]`.
    package func serverFrame(sequence: UInt16) -> [UInt8] {
        [UInt8(sequence >> 8), UInt8(sequence & 0xFF), opcode.rawValue] + payload
    }

    /// The frame a client sends: `[op][payload]`.
    package var clientFrame: [UInt8] { [opcode.rawValue] + payload }

    /// Parses a server → client frame, returning its sequence number too.
    package static func parseServerFrame(_ frame: [UInt8]) throws(DAVEError) -> (sequence: UInt16, message: DAVEBinaryMessage) {
        guard frame.count >= 3 else { throw .malformedPayload(opcode: 0, "frame of \(frame.count) bytes") }
        let sequence = UInt16(frame[0]) << 8 | UInt16(frame[1])
        return (sequence, try parse(opcode: frame[2], payload: Array(frame[3...])))
    }

    /// Parses a client → server frame.
    package static func parseClientFrame(_ frame: [UInt8]) throws(DAVEError) -> DAVEBinaryMessage {
        guard let opcode = frame.first else { throw .malformedPayload(opcode: 0, "empty frame") }
        return try parse(opcode: opcode, payload: Array(frame.dropFirst()))
    }

    static func parse(opcode: UInt8, payload: [UInt8]) throws(DAVEError) -> DAVEBinaryMessage {
        switch DAVEOpcode(rawValue: opcode) {
        case .externalSender: return .externalSender(package: payload)
        case .keyPackage: return .keyPackage(payload)
        case .commitWelcome: return .commitWelcome(payload)
        case .proposals:
            guard let first = payload.first, let operation = ProposalsOperation(rawValue: first) else {
                throw .malformedPayload(opcode: opcode, "missing or unknown operation type")
            }
            return .proposals(operation, vector: Array(payload.dropFirst()))
        case .announceCommitTransition, .welcome:
            guard payload.count >= 2 else { throw .malformedPayload(opcode: opcode, "no transition id") }
            let id = UInt16(payload[0]) << 8 | UInt16(payload[1])
            let body = Array(payload[2...])
            return opcode == DAVEOpcode.welcome.rawValue
                ? .welcome(transitionID: id, welcome: body) : .announceCommit(transitionID: id, commit: body)
        default:
            throw .malformedPayload(opcode: opcode, "not a binary DAVE opcode")
        }
    }
}
