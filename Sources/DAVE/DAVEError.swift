import MLS

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
    /// An op 27 proposal was refused (wrong sender, epoch, type, unknown user, or an MLS check).
    case invalidProposal(String)
    /// An op 29 commit could not be applied; the session answered with op 31 and reset.
    case invalidCommit(transitionID: UInt16, String)
    /// An op 30 Welcome could not be joined; the session answered with op 31 and reset.
    case invalidWelcome(transitionID: UInt16, String)
    /// The MLS layer failed while doing `what` (creating a key package, a group or a commit).
    case mls(what: String, MLSError)
}
