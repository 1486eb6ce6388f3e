import MLS

/// The client side of DAVE protocol version 1 for one voice connection (doc §5.2), as a plain
/// synchronous value: feed it each gateway input, send what it returns. It does no I/O and keeps
/// no clock, so it survives a resume untouched and is easy to drive from tests.
///
/// Guarantees:
/// - A fresh key package goes out on op 4 (version ≥ 1), on op 24 with epoch 1 and after every op 31.
/// - Until a commit or Welcome has been processed the client holds only a pending local group
///   (itself, epoch 0); nothing is ever encrypted from it.
/// - A commit covers all cached proposals by reference; revoking them all sends nothing.
/// - Receive ratchets change when op 29/30 is processed; the send ratchet only when a transition
///   executes (op 22, or at once for transition id 0).
/// - An invalid commit or Welcome never escapes as a thrown error: the session answers op 31,
///   resets and offers a new key package.
/// - Bad op 25/27 input is a typed `DAVEError` and leaves the state as it was.
package struct DAVESession: Sendable {
    /// Where the session stands.
    package enum Phase: Equatable, Sendable {
        /// No DAVE (version 0 or not negotiated yet): media is plain Opus.
        case inactive
        /// Key package sent; waiting for the external sender (op 25) to create the local group.
        case awaitingExternalSender
        /// Sole member of a local group at epoch 0 (the "alone" state).
        case pendingGroup
        /// Member of the channel's group at this epoch.
        case established(epoch: UInt64)
    }

    /// The MLS exporter label DAVE derives sender keys with (doc §5.7).
    package static let exporterLabel = "Discord Secure Frames v0"

    package let userID: UInt64
    package let channelID: UInt64
    package internal(set) var protocolVersion = 0
    package internal(set) var externalSender: ExternalSender?
    /// Users in the call (op 11/13) plus this one: the only identities an Add may carry.
    package internal(set) var recognizedUsers: Set<UInt64>
    /// Transitions announced by op 21 or prepared by op 29/30 and not executed yet: id → version.
    package internal(set) var pendingTransitions: [UInt16: Int] = [:]
    /// Whether the send side is DAVE-encrypting (a transition to version ≥ 1 executed with a group).
    package internal(set) var isEncrypting = false
    /// The voice privacy code of the group whose transition executed last (doc §5.9).
    package internal(set) var privacyCode: String?

    let signatureKey: SignatureKeyPair
    var keyPackage: (package: KeyPackage, secrets: KeyPackageSecrets)?
    var group: MLSGroup?
    var established = false
    /// The op 28 commit bytes this client sent last, to recognise its own commit in op 29.
    var ownCommit: [UInt8]?

    package init(userID: UInt64, channelID: UInt64, signatureKey: SignatureKeyPair = .generate()) {
        self.userID = userID
        self.channelID = channelID
        self.signatureKey = signatureKey
        recognizedUsers = [userID]
    }

    package var phase: Phase {
        if protocolVersion == 0 { return .inactive }
        guard let group else { return .awaitingExternalSender }
        return established ? .established(epoch: group.epoch) : .pendingGroup
    }

    /// The current epoch's authenticator, once a group is established.
    package var epochAuthenticator: [UInt8]? { established ? group?.epochAuthenticator : nil }

    /// Group members' user ids by leaf, once established.
    package var memberUserIDs: [UInt64] {
        guard established, let group else { return [] }
        return group.members.compactMap { Self.userID(of: $0.leaf.credential) }
    }

    /// Applies one gateway input and returns what to send and which keys change.
    package mutating func handle(_ input: DAVEInput) throws(DAVEError) -> [DAVEOutput] {
        switch input {
        case let .sessionDescription(version):
            return try start(protocolVersion: version)
        case let .clientsConnected(users):
            recognizedUsers.formUnion(users)
            return []
        case let .clientDisconnected(user):
            if user != userID { recognizedUsers.remove(user) }
            return []
        case let .prepareTransition(prepare):
            return prepareTransition(prepare)
        case let .executeTransition(id):
            return executeTransition(id.transitionID)
        case let .prepareEpoch(prepare):
            return try prepareEpoch(prepare)
        case let .binary(message):
            switch message {
            case let .externalSender(package):
                return try receiveExternalSender(package)
            case let .proposals(operation, vector):
                return try receiveProposals(operation, vector: vector)
            case let .announceCommit(id, commit):
                return receiveCommit(transitionID: id, bytes: commit)
            case let .welcome(id, welcome):
                return receiveWelcome(transitionID: id, bytes: welcome)
            case .keyPackage, .commitWelcome:
                throw .malformedPayload(opcode: message.opcode.rawValue, "client-to-server opcode received from the server")
            }
        }
    }

    /// `BE64(id)`, DAVE's basic-credential identity and group id encoding.
    static func bigEndian64(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    static func littleEndian64(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) }
    }

    /// The user id of a basic credential with an 8-byte identity, or nil for anything else.
    static func userID(of credential: Credential) -> UInt64? {
        guard case let .basic(identity) = credential, identity.count == 8 else { return nil }
        return identity.reduce(0) { $0 << 8 | UInt64($1) }
    }
}
