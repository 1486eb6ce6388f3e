import MLS

extension DAVESession {
    /// op 27: append verifies and caches proposals, then commits all cached ones by reference;
    /// revoke drops them and re-commits if any remain. Without a local group proposals are ignored.
    mutating func receiveProposals(
        _ operation: DAVEBinaryMessage.ProposalsOperation,
        vector: [UInt8]
    ) throws(DAVEError) -> [DAVEOutput] {
        guard var working = group else { return [] }
        switch operation {
        case .append:
            let messages = try Self.decodeProposalMessages(vector)
            for message in messages {
                // Proposals for another epoch are stale (or meant for members of a group we have not joined).
                if message.content.epoch != working.epoch { continue }
                try validateProposal(message)
                do {
                    try working.cache(proposalMessage: message)
                } catch {
                    throw .invalidProposal("MLS refused the proposal: \(error)")
                }
            }
        case .revoke:
            let references = try Self.decodeProposalReferences(vector)
            working.revokeProposals(references: references)
        }
        guard !working.pendingProposals.isEmpty else {
            working.discardPendingCommit()
            group = working
            ownCommit = nil
            return []
        }
        let output: CommitOutput
        do {
            output = try working.commit()
        } catch {
            throw .mls(what: "committing \(working.pendingProposals.count) proposals", error)
        }
        group = working
        let commitBytes = output.commit.encoded
        ownCommit = commitBytes
        return [.send(.commitWelcome(commitBytes + (output.welcome?.encoded ?? [])))]
    }

    /// DAVE's rules on top of MLS's: external sender 0 only, Add or Remove only, and an Add must
    /// carry the basic credential of a user the gateway said is in the call.
    func validateProposal(_ message: PublicMessage) throws(DAVEError) {
        guard case .external(senderIndex: 0) = message.content.sender else {
            throw .invalidProposal("sender is not external sender 0")
        }
        guard case let .proposal(proposal) = message.content.body else {
            throw .invalidProposal("op 27 message is not a proposal")
        }
        switch proposal {
        case let .add(keyPackage):
            guard let user = Self.userID(of: keyPackage.leafNode.credential) else {
                throw .invalidProposal("Add credential is not an 8-byte basic identity")
            }
            guard recognizedUsers.contains(user) else { throw .invalidProposal("Add for unrecognized user \(user)") }
        case .remove:
            break
        default:
            throw .invalidProposal("proposal type \(proposal.type) is not allowed in DAVE")
        }
    }

    /// `V(MLSMessage || MLSMessage || …)`, each a PublicMessage.
    static func decodeProposalMessages(_ vector: [UInt8]) throws(DAVEError) -> [PublicMessage] {
        var messages: [PublicMessage] = []
        do {
            var reader = TLSReader(vector)
            var body = try reader.vectorBody("proposal_messages")
            try reader.finish("op 27 append")
            while !body.isAtEnd {
                guard case let .publicMessage(message) = try MLSMessage(from: &body).content else {
                    throw DAVEError.invalidProposal("proposal is not a PublicMessage")
                }
                messages.append(message)
            }
        } catch let error as DAVEError {
            throw error
        } catch {
            throw .malformedPayload(opcode: DAVEOpcode.proposals.rawValue, "append: \(error)")
        }
        return messages
    }

    /// `V(V(ref) || V(ref) || …)`.
    static func decodeProposalReferences(_ vector: [UInt8]) throws(DAVEError) -> [[UInt8]] {
        do {
            var reader = TLSReader(vector)
            let refs = try reader.vector("proposal_refs") { (r: inout TLSReader) throws(MLSCodecError) in try r.opaque("ProposalRef") }
            try reader.finish("op 27 revoke")
            return refs
        } catch {
            throw .malformedPayload(opcode: DAVEOpcode.proposals.rawValue, "revoke: \(error)")
        }
    }
}
