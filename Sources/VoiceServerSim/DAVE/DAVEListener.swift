import DAVE

/// A member of the channel that lives inside the server: Cadence's own `DAVESession` fed
/// straight from the delivery service (no WebSocket), with one `FrameDecryptor` per sender.
///
/// It is the test side's decryptor: with it the server opens other members' E2EE frames
/// itself, so it can decode (and time) end-to-end encrypted audio, and a test can check that
/// Cadence's receive path opens what davey or libdave encrypted. It joins, commits and
/// acknowledges like any member, so a channel with a listener has one more leaf.
struct DAVEListener: Sendable {
    let userID: String
    var session: DAVESession
    var decryptors: [String: FrameDecryptor] = [:]
    /// Inputs the session refused (its own typed errors), for the report.
    var refused: [String] = []

    init?(userID: String, channelID: UInt64) {
        guard let user = UInt64(userID) else { return nil }
        self.userID = userID
        session = DAVESession(userID: user, channelID: channelID)
    }

    /// The input a delivery to this member amounts to (JSON ops become typed inputs).
    static func input(for message: DAVEOutgoing) -> DAVEInput? {
        switch message {
        case let .binary(binary):
            return .binary(binary)
        case let .json(op, .object(fields)):
            func int(_ key: String) -> Int? { if case let .int(value) = fields[key] { value } else { nil } }
            let transition = UInt16(truncatingIfNeeded: int("transition_id") ?? 0)
            switch op {
            case 21: return .prepareTransition(PrepareTransition(transitionID: transition, protocolVersion: int("protocol_version") ?? 0))
            case 22: return .executeTransition(TransitionID(transition))
            case 24:
                return .prepareEpoch(
                    PrepareEpoch(
                        protocolVersion: int("protocol_version") ?? 0,
                        epoch: UInt64(int("epoch") ?? 0)))
            default: return nil
            }
        default:
            return nil
        }
    }

    /// Applies one input; returns what the member sends back (receive ratchets are kept here).
    mutating func handle(_ input: DAVEInput) -> [DAVEOutput] {
        let outputs: [DAVEOutput]
        do {
            outputs = try session.handle(input)
        } catch {
            refused.append("\(error)")
            return []
        }
        var replies: [DAVEOutput] = []
        for output in outputs {
            if case let .receiveRatchets(ratchets) = output {
                for (sender, ratchet) in ratchets { decryptors["\(sender)", default: FrameDecryptor()].install(ratchet) }
            } else {
                replies.append(output)
            }
        }
        return replies
    }

    /// Opens one E2EE frame of `sender`, or nil when no installed ratchet authenticates it.
    mutating func open(_ frame: [UInt8], from sender: String) -> [UInt8]? {
        try? decryptors[sender]?.decrypt(frame)
    }
}

extension DAVEChannel {
    /// Feeds the listener's replies back in as if they had come over its WebSocket.
    mutating func reply(_ output: DAVEOutput, from userID: String) -> DAVEEffects {
        switch output {
        case let .send(.keyPackage(bytes)): keyPackage(bytes, from: userID)
        case let .send(.commitWelcome(bytes)): commitWelcome(bytes, from: userID)
        case let .transitionReady(id): ready(id, from: userID)
        case let .invalidCommitWelcome(id): invalidCommitWelcome(id, from: userID)
        default: DAVEEffects()
        }
    }
}
