import Crypto

/// One member's view of an MLS group in one epoch (cipher suite 2, public-message handshakes).
///
/// A value type: every operation either returns a new consistent state or throws a typed
/// `MLSError` and leaves the group unchanged. Everything received is validated as RFC 9420 requires.
public struct MLSGroup: Sendable {
    package let suite: CipherSuite
    package internal(set) var context: GroupContext
    package internal(set) var tree: RatchetTree
    package internal(set) var ownLeafIndex: Int
    var privateKeys: TreePrivateKeys
    var secrets: EpochSecrets
    var interimTranscriptHash: [UInt8]
    let signatureKey: SignatureKeyPair
    /// External PSKs by id, for PreSharedKey proposals and Welcome PSKs.
    var externalPSKs: [[UInt8]: [UInt8]]
    /// Resumption PSKs of this and recent epochs, for resumption PreSharedKey proposals.
    var resumptionPSKs: [UInt64: [UInt8]] = [:]
    /// Proposals received in this epoch, in arrival order.
    package internal(set) var pendingProposals: [CachedProposal] = []
    var pendingCommit: PendingCommit?

    package var groupID: [UInt8] { context.groupID }
    package var epoch: UInt64 { context.epoch }
    /// The epoch authenticator: equal for all members that agree on the epoch.
    public var epochAuthenticator: [UInt8] { secrets.epochAuthenticator }

    /// MLS-Exporter for this epoch.
    package func export(label: String, context exportContext: [UInt8], length: Int) -> [UInt8] {
        secrets.export(suite: suite, label: label, context: exportContext, length: length)
    }

    /// Non-blank leaves with their credentials.
    package var members: [(leafIndex: Int, leaf: LeafNode)] {
        tree.occupiedLeaves.compactMap { i in tree.leaf(i).map { (i, $0) } }
    }

    /// The group's external senders (DAVE: the voice gateway's key), from the GroupContext.
    package var externalSenders: [ExternalSender] {
        guard let data = context.extensions.data(of: Extension.externalSenders) else { return [] }
        return (try? [ExternalSender].decodeList(data)) ?? []
    }

    /// Creates a one-member group at epoch 0 (RFC 9420 §11) whose single leaf is `keyPackage`'s.
    public static func create(groupID: [UInt8], keyPackage: KeyPackage, secrets keys: KeyPackageSecrets) throws(MLSError) -> MLSGroup {
        try create(groupID: groupID, keyPackage: keyPackage, secrets: keys, extensions: [], externalPSKs: [:])
    }

    package static func create(
        groupID: [UInt8], keyPackage: KeyPackage, secrets keys: KeyPackageSecrets,
        extensions: [Extension] = [], externalPSKs: [[UInt8]: [UInt8]] = [:]
    ) throws(MLSError) -> MLSGroup {
        let suite = try CipherSuite(id: keyPackage.cipherSuite)
        try keyPackage.validate(suite: suite)
        try validateGroupContextExtensions(extensions)
        let tree = RatchetTree(firstLeaf: keyPackage.leafNode)
        let context = GroupContext(
            cipherSuite: suite.id, groupID: groupID, epoch: 0, treeHash: tree.treeHash(suite: suite),
            confirmedTranscriptHash: [], extensions: extensions)
        let epochSecrets = EpochSecrets.initial(suite: suite, epochSecret: randomBytes(suite.hashLength))
        let tag = suite.mac(key: epochSecrets.confirmationKey, data: [])
        return MLSGroup(
            suite: suite, context: context, tree: tree, ownLeafIndex: 0,
            privateKeys: TreePrivateKeys(leafIndex: 0, leafKey: keys.encryptionKey), secrets: epochSecrets,
            interimTranscriptHash: TranscriptHash.interim(suite: suite, confirmed: [], confirmationTag: tag),
            signatureKey: keys.signatureKey, externalPSKs: externalPSKs,
            resumptionPSKs: [0: epochSecrets.resumptionPSK])
    }

    static func validateGroupContextExtensions(_ extensions: [Extension]) throws(MLSError) {
        guard !extensions.hasDuplicateTypes else { throw .invalid(.extensions, "duplicate extension types") }
        if let data = extensions.data(of: Extension.externalSenders) {
            do { _ = try [ExternalSender].decodeList(data) } catch { throw .invalid(.externalSenders, "malformed external_senders") }
        }
    }
}

/// A proposal received in the current epoch, kept until a commit references it.
package struct CachedProposal: Sendable, Equatable {
    package let reference: [UInt8]
    package let proposal: Proposal
    package let sender: Sender
}

/// A commit this member created and has not yet seen confirmed by the delivery service.
final class PendingCommit: Sendable {
    let message: PublicMessage
    let nextState: MLSGroup
    let summary: ProcessedMessage

    init(message: PublicMessage, nextState: MLSGroup, summary: ProcessedMessage) {
        self.message = message
        self.nextState = nextState
        self.summary = summary
    }
}

func randomBytes(_ count: Int) -> [UInt8] {
    SymmetricKey(size: .init(bitCount: count * 8)).withUnsafeBytes { Array($0) }
}

extension Array where Element == ExternalSender {
    static func decodeList(_ data: [UInt8]) throws(MLSCodecError) -> [ExternalSender] {
        var r = TLSReader(data)
        let list: [ExternalSender] = try r.vector("external_senders")
        try r.finish("external_senders")
        return list
    }
}
