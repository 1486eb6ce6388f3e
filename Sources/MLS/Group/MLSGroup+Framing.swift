extension MLSGroup {
    /// FramedContentTBS for `content` in this epoch.
    func toBeSigned(_ content: FramedContent) -> [UInt8] {
        AuthenticatedContent.toBeSigned(wireFormat: WireFormat.publicMessage, content: content, context: context)
    }

    func membershipTag(content: FramedContent, auth: FramedContentAuthData) -> [UInt8] {
        var w = TLSWriter()
        w.raw(toBeSigned(content))
        auth.encode(to: &w)
        return suite.mac(key: secrets.membershipKey, data: w.bytes)
    }

    /// Checks group, epoch, sender, membership tag and signature of a PublicMessage for this epoch.
    package func verify(_ message: PublicMessage) throws(MLSError) -> AuthenticatedContent {
        let content = message.content
        guard content.groupID == groupID else { throw .invalid(.groupID, "message for another group") }
        guard content.epoch == epoch else { throw .invalid(.epoch, "message for epoch \(content.epoch), group is at \(epoch)") }
        let signer: [UInt8]
        switch content.sender {
        case .member(let index):
            guard let leaf = tree.leaf(Int(index)) else { throw .invalid(.sender, "sender leaf \(index) is blank or absent") }
            guard let tag = message.membershipTag, tag == membershipTag(content: content, auth: message.auth) else {
                throw .invalid(.membershipTag, "membership tag does not verify")
            }
            signer = leaf.signatureKey
        case .external(let index):
            guard case .proposal(let proposal) = content.body else { throw .invalid(.contentType, "external senders may only propose") }
            guard [1, 3, 4, 5, 7].contains(proposal.type) else {
                throw .invalid(.proposalList, "proposal type \(proposal.type) not allowed from an external sender")
            }
            let senders = externalSenders
            guard Int(index) < senders.count else { throw .invalid(.externalSenders, "no external sender \(index)") }
            signer = senders[Int(index)].signatureKey
        case .newMemberProposal:
            guard case .proposal(.add(let keyPackage)) = content.body else {
                throw .invalid(.contentType, "new_member_proposal must carry an Add")
            }
            signer = keyPackage.leafNode.signatureKey
        case .newMemberCommit:
            throw .invalid(.sender, "external commits are not supported")
        }
        if case .application = content.body { throw .invalid(.contentType, "application data must not be a PublicMessage") }
        guard
            suite.verifyWithLabel(
                publicKey: signer, label: "FramedContentTBS", content: toBeSigned(content),
                signature: message.auth.signature)
        else { throw .invalid(.signature, "FramedContentTBS signature does not verify") }
        return message.authenticatedContent
    }

    /// Signs `content` as this member (signature only; the caller adds tags).
    func sign(_ content: FramedContent) throws(MLSError) -> [UInt8] {
        try suite.signWithLabel(privateKey: signatureKey.privateKey, label: "FramedContentTBS", content: toBeSigned(content))
    }

    /// Verifies and caches a proposal so a later commit can reference it.
    @discardableResult
    package mutating func cache(proposalMessage message: PublicMessage) throws(MLSError) -> CachedProposal {
        let authenticated = try verify(message)
        guard case .proposal(let proposal) = message.content.body else {
            throw .invalid(.contentType, "expected a proposal")
        }
        if case .add(let keyPackage) = proposal { try keyPackage.validate(suite: suite) }
        if case .remove(let index) = proposal, tree.leaf(Int(index)) == nil {
            throw .invalid(.proposalList, "Remove targets blank leaf \(index)")
        }
        let cached = CachedProposal(
            reference: authenticated.proposalReference(suite: suite), proposal: proposal,
            sender: message.content.sender)
        if !pendingProposals.contains(where: { $0.reference == cached.reference }) { pendingProposals.append(cached) }
        return cached
    }

    /// Forgets cached proposals (DAVE's revoke).
    package mutating func revokeProposals(references: [[UInt8]]) {
        pendingProposals.removeAll { references.contains($0.reference) }
    }
}
