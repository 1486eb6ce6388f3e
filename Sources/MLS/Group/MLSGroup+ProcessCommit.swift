/// What processing a handshake message did.
package enum ProcessedMessage: Sendable {
    /// A proposal was verified and cached for a later commit, under this proposal reference.
    case proposal(reference: [UInt8])
    /// A commit was applied; the group is now in the next epoch.
    case commit(epoch: UInt64, addedLeaves: [Int], removedLeaves: [Int])
    /// The commit removed this member; the state was not advanced.
    case removedFromGroup
}

extension MLSGroup {
    /// The delivery service accepted this member's own commit: the group moves to its next
    /// epoch, as every other member does when it processes the same commit.
    public mutating func merge(_ output: CommitOutput) throws(MLSError) {
        _ = try process(output.commit)
    }

    /// Processes a PublicMessage proposal or commit (including this member's own pending commit).
    package mutating func process(_ message: MLSMessage) throws(MLSError) -> ProcessedMessage {
        guard case .publicMessage(let publicMessage) = message.content else {
            throw .invalid(.wireFormat, "only PublicMessage handshakes are supported")
        }
        switch publicMessage.content.body {
        case .proposal: return .proposal(reference: try cache(proposalMessage: publicMessage).reference)
        case .commit: return try processCommit(publicMessage)
        case .application: throw .invalid(.contentType, "application data must not be a PublicMessage")
        }
    }

    /// Decodes and processes an `MLSMessage`.
    package mutating func process(bytes: [UInt8]) throws(MLSError) -> ProcessedMessage {
        try process(try MLSError.decode { () throws(MLSCodecError) in try MLSMessage(decoding: bytes) })
    }

    mutating func processCommit(_ message: PublicMessage) throws(MLSError) -> ProcessedMessage {
        if let pending = pendingCommit, pending.message == message {
            self = pending.nextState
            return pending.summary
        }
        let authenticated = try verify(message)
        guard case .commit(let commit) = message.content.body, case .member(let senderIndex) = message.content.sender,
            let confirmationTag = message.auth.confirmationTag
        else { throw .invalid(.sender, "commits must come from a member") }
        let committer = Int(senderIndex)
        var applied = try apply(resolve(commit, committer: committer), committer: committer)
        if applied.pathRequired && commit.path == nil { throw .invalid(.pathRequired, "commit requires an UpdatePath") }
        if applied.removed.contains(ownLeafIndex) { return .removedFromGroup }

        var keys = privateKeys
        var provisional = context
        provisional.epoch += 1
        provisional.extensions = applied.extensions
        var commitSecret = suite.zeroSecret
        if let path = commit.path {
            try Self.validateLeaf(path.leafNode, at: committer, in: applied.tree, extensions: applied.extensions)
            try applied.tree.merge(path: path, sender: committer, suite: suite, groupID: groupID)
            keys.prune(against: applied.tree)
            provisional.treeHash = applied.tree.treeHash(suite: suite)
            if committer != ownLeafIndex {
                commitSecret = try applied.tree.decrypt(
                    path: path, sender: committer, suite: suite,
                    excluding: Set(applied.added.map(\.leafIndex)),
                    context: provisional, keys: &keys
                ).commitSecret
            } else {
                throw .invalid(.pendingCommit, "own commit with path does not match the pending commit")
            }
        } else {
            keys.prune(against: applied.tree)
            provisional.treeHash = applied.tree.treeHash(suite: suite)
        }
        try applied.tree.verifyStructure()
        provisional.confirmedTranscriptHash = TranscriptHash.confirmed(
            suite: suite, interimBefore: interimTranscriptHash,
            content: authenticated)
        let next = EpochSecrets.derive(
            suite: suite, initSecret: secrets.initSecret, commitSecret: commitSecret,
            pskSecret: try pskSecret(for: applied.psks), context: provisional)
        guard suite.mac(key: next.confirmationKey, data: provisional.confirmedTranscriptHash) == confirmationTag else {
            throw .invalid(.confirmationTag, "confirmation tag does not verify")
        }
        advance(to: provisional, tree: applied.tree, keys: keys, secrets: next, confirmationTag: confirmationTag)
        return .commit(epoch: epoch, addedLeaves: applied.added.map(\.leafIndex), removedLeaves: applied.removed.sorted())
    }

    mutating func advance(
        to newContext: GroupContext, tree newTree: RatchetTree, keys: TreePrivateKeys,
        secrets next: EpochSecrets, confirmationTag: [UInt8]
    ) {
        context = newContext
        tree = newTree
        privateKeys = keys
        secrets = next
        interimTranscriptHash = TranscriptHash.interim(
            suite: suite, confirmed: newContext.confirmedTranscriptHash,
            confirmationTag: confirmationTag)
        pendingProposals = []
        pendingCommit = nil
        resumptionPSKs[newContext.epoch] = next.resumptionPSK
        resumptionPSKs = resumptionPSKs.filter { $0.key + 16 > newContext.epoch }
    }
}
