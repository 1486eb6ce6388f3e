/// The voice-gateway opcodes DAVE adds (21–31). 25–30 travel as binary WebSocket frames.
package enum DAVEOpcode: UInt8, Sendable, CaseIterable {
    case prepareTransition = 21
    case executeTransition = 22
    case transitionReady = 23
    case prepareEpoch = 24
    case externalSender = 25
    case keyPackage = 26
    case proposals = 27
    case commitWelcome = 28
    case announceCommitTransition = 29
    case welcome = 30
    case invalidCommitWelcome = 31

    /// Whether the opcode is carried in a binary frame rather than JSON.
    package var isBinary: Bool { (25...30).contains(rawValue) }
}
