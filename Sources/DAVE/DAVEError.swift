/// What went wrong in the DAVE layer, with enough context to log or test against.
public enum DAVEError: Error, Equatable, Sendable {
    /// The frame does not carry the DAVE trailer (it may be plain Opus during a transition).
    case notAProtectedFrame(String)
    /// No key ratchet is installed for this sender yet.
    case noKey
    /// No installed ratchet authenticates the frame.
    case authenticationFailed(nonce: UInt32)
    case encryptionFailed(String)
    /// A binary DAVE opcode payload was malformed.
    case malformedPayload(opcode: UInt8, String)
}
