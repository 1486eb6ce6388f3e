/// Everything the voice gateway tells a DAVE client, already parsed: the JSON ops (4, 11, 13,
/// 21, 22, 24) and the binary ones (25, 27, 29, 30).
package enum DAVEInput: Equatable, Sendable {
    /// op 4: the `dave_protocol_version` the server chose (0 = no E2EE).
    case sessionDescription(protocolVersion: Int)
    /// op 11: users now in the call (the user ids an Add may carry).
    case clientsConnected([UInt64])
    /// op 13: a user left.
    case clientDisconnected(UInt64)
    /// op 21
    case prepareTransition(PrepareTransition)
    /// op 22
    case executeTransition(TransitionID)
    /// op 24
    case prepareEpoch(PrepareEpoch)
    /// ops 25, 27, 29, 30
    case binary(DAVEBinaryMessage)
}

/// What a DAVE client must do after an input: messages for the gateway and key changes for media.
package enum DAVEOutput: Equatable, Sendable {
    /// A binary frame to send (op 26 key package, op 28 commit/welcome).
    case send(DAVEBinaryMessage)
    /// op 23 `{transition_id}`.
    case transitionReady(UInt16)
    /// op 31 `{transition_id}`.
    case invalidCommitWelcome(UInt16)
    /// The send side switches: a ratchet means DAVE-encrypt with it (nonce restarting at 1);
    /// nil means send plain Opus (passthrough).
    case sendRatchet(KeyRatchet?)
    /// Receive ratchets of a new epoch, by sender user id (installed at op 29/30).
    case receiveRatchets([UInt64: KeyRatchet])
    /// Whether receivers should accept unencrypted frames (a downgrade to version 0 is coming).
    case receivePassthrough(Bool)
    /// The session recovered from a failure (op 31 already queued); for logging.
    case recovered(DAVEError)
}

extension KeyRatchet: Equatable {
    /// Ratchets are equal when they started from the same base secret.
    public static func == (lhs: KeyRatchet, rhs: KeyRatchet) -> Bool { lhs.baseSecret == rhs.baseSecret }
}
