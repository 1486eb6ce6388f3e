/// Builds proposals as an external sender (DAVE's voice gateway) does: sender type external,
/// signed over a FramedContentTBS with no GroupContext, and no membership tag.
package enum ExternalProposal {
    package static func make(
        groupID: [UInt8], epoch: UInt64, senderIndex: UInt32, proposal: Proposal,
        signatureKey: SignatureKeyPair, suite: CipherSuite = .p256
    ) throws(MLSError) -> MLSMessage {
        let content = FramedContent(groupID: groupID, epoch: epoch, sender: .external(senderIndex: senderIndex), body: .proposal(proposal))
        let tbs = AuthenticatedContent.toBeSigned(wireFormat: WireFormat.publicMessage, content: content, context: nil)
        let signature = try suite.signWithLabel(privateKey: signatureKey.privateKey, label: "FramedContentTBS", content: tbs)
        return .publicMessage(
            PublicMessage(
                content: content, auth: FramedContentAuthData(signature: signature, confirmationTag: nil),
                membershipTag: nil))
    }

    /// The ProposalRef of a proposal message, as the group computes it.
    package static func reference(of message: PublicMessage, suite: CipherSuite = .p256) -> [UInt8] {
        message.authenticatedContent.proposalReference(suite: suite)
    }
}
