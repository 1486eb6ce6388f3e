/// What a voice connection reports, in order, for logs and tests.
package enum VoiceConnectionEvent: Sendable, Equatable {
    /// A session completed its handshake (identify or move): media flows.
    case connected(endpoint: String, mode: EncryptionMode, ssrc: UInt32)
    /// A resume succeeded; `downtimeMs` is from losing the socket to op 9.
    case resumed(endpoint: String, downtimeMs: Double)
    /// The socket ended; `action` is what the connection does about it.
    case disconnected(code: Int?, reason: String, action: RecoveryAction)
    /// Recovery needs a fresh main-gateway join (new token): call `serverUpdate` with the result.
    case rejoinRequested
    /// The connection ended for good.
    case stopped(VoiceError)
}
