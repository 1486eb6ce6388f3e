/// A commit ready to send, and the Welcome for any members it adds.
public struct CommitOutput: Sendable {
    package let commit: MLSMessage
    public let welcome: Welcome?
}

extension MLSGroup {
    /// Commits the cached proposals by reference (plus optional inline Adds and Removes), with an
    /// UpdatePath when RFC 9420 requires one (or `forcePath`). The group does not advance until the
    /// commit comes back through `process` (the delivery service picks the winning commit); call
    /// `discardPendingCommit` if another commit wins.
    public mutating func commit(
        adding keyPackages: [KeyPackage] = [], removing leaves: [Int] = [],
        includePendingProposals: Bool = true, forcePath: Bool = false
    ) throws(MLSError) -> CommitOutput {
        var entries: [ProposalOrRef] = includePendingProposals ? pendingProposals.map { .reference($0.reference) } : []
        entries += leaves.map { .proposal(.remove(leafIndex: UInt32($0))) }
        entries += keyPackages.map { .proposal(.add($0)) }
        let me = ownLeafIndex
        var applied = try apply(resolve(Commit(proposals: entries, path: nil), committer: me), committer: me)

        var provisional = context
        provisional.epoch += 1
        provisional.extensions = applied.extensions
        var keys = privateKeys
        var commitSecret = suite.zeroSecret
        var path: CreatedUpdatePath?
        if applied.pathRequired || forcePath {
            guard let ownLeaf = tree.leaf(me) else { throw .invalid(.ownLeaf, "own leaf is blank") }
            let base = provisional
            let created = try applied.tree.createUpdatePath(
                suite: suite, sender: me, leaf: ownLeaf, signatureKey: signatureKey.privateKey, groupID: groupID,
                excluding: Set(applied.added.map(\.leafIndex)), pathSecret: randomBytes(suite.hashLength)
            ) { treeHash in
                var c = base
                c.treeHash = treeHash
                return c
            }
            keys.set(node: 2 * me, key: created.leafKey)
            for (node, pair) in created.nodeKeys { keys.set(node: node, key: pair) }
            commitSecret = created.commitSecret
            path = created
        }
        keys.prune(against: applied.tree)
        provisional.treeHash = applied.tree.treeHash(suite: suite)

        let content = FramedContent(
            groupID: groupID, epoch: epoch, sender: .member(leafIndex: UInt32(me)),
            body: .commit(Commit(proposals: entries, path: path?.path)))
        var auth = FramedContentAuthData(signature: try sign(content), confirmationTag: nil)
        provisional.confirmedTranscriptHash = TranscriptHash.confirmed(
            suite: suite, interimBefore: interimTranscriptHash,
            content: AuthenticatedContent(wireFormat: WireFormat.publicMessage, content: content, auth: auth))
        let next = EpochSecrets.derive(
            suite: suite, initSecret: secrets.initSecret, commitSecret: commitSecret,
            pskSecret: try pskSecret(for: applied.psks), context: provisional)
        let tag = suite.mac(key: next.confirmationKey, data: provisional.confirmedTranscriptHash)
        auth.confirmationTag = tag
        let message = PublicMessage(content: content, auth: auth, membershipTag: membershipTag(content: content, auth: auth))

        var nextState = self
        nextState.advance(to: provisional, tree: applied.tree, keys: keys, secrets: next, confirmationTag: tag)
        let welcome = try makeWelcome(for: applied, context: provisional, secrets: next, confirmationTag: tag, path: path)
        pendingCommit = PendingCommit(
            message: message, nextState: nextState,
            summary: .commit(
                epoch: provisional.epoch, addedLeaves: applied.added.map(\.leafIndex),
                removedLeaves: applied.removed.sorted()))
        return CommitOutput(commit: .publicMessage(message), welcome: welcome)
    }

    /// Drops this member's not-yet-confirmed commit (another member's commit won the epoch).
    package mutating func discardPendingCommit() { pendingCommit = nil }

    package var hasPendingCommit: Bool { pendingCommit != nil }

    private func makeWelcome(
        for applied: AppliedProposals, context newContext: GroupContext, secrets next: EpochSecrets,
        confirmationTag: [UInt8], path: CreatedUpdatePath?
    ) throws(MLSError) -> Welcome? {
        guard !applied.added.isEmpty else { return nil }
        var info = GroupInfo(
            groupContext: newContext,
            extensions: [Extension(type: Extension.ratchetTree, data: applied.tree.encoded)],
            confirmationTag: confirmationTag, signer: UInt32(ownLeafIndex))
        try info.sign(suite: suite, privateKey: signatureKey.privateKey)
        let (key, nonce) = welcomeKeyAndNonce(suite: suite, welcomeSecret: next.welcomeSecret)
        let encryptedInfo = try suite.seal(key: key, nonce: nonce, aad: [], plaintext: info.encoded)
        var entries: [EncryptedGroupSecrets] = []
        for (leafIndex, keyPackage) in applied.added {
            let ancestor = TreeMath.commonAncestor(leaf: 2 * leafIndex, leaf: 2 * ownLeafIndex)
            let secrets = GroupSecrets(joinerSecret: next.joinerSecret, pathSecret: path?.pathSecrets[ancestor], psks: applied.psks)
            let sealed = try suite.encryptWithLabel(
                publicKey: keyPackage.initKey, label: "Welcome", context: encryptedInfo,
                plaintext: secrets.encoded)
            entries.append(EncryptedGroupSecrets(newMember: keyPackage.reference(suite: suite), encryptedGroupSecrets: sealed))
        }
        return Welcome(cipherSuite: suite.id, secrets: entries, encryptedGroupInfo: encryptedInfo)
    }
}
