import DAVE
import MLS

extension DAVEChannel {
    /// Brings the proposals in flight in line with who should be in the group, sending appends
    /// for what is missing and revokes for what no longer applies (an Add for someone who left
    /// or replaced its key package).
    mutating func reconcile() -> DAVEEffects {
        established ? reconcileEstablished() : reconcilePending()
    }

    /// Before the group exists: every pending user with a key package gets one Add per other
    /// such user, at epoch 0, for its own local group.
    private mutating func reconcilePending() -> DAVEEffects {
        var effects = DAVEEffects()
        let candidates = order.filter { members[$0]?.keyPackage != nil }
        for recipient in candidates {
            let desired: [SentProposal.Kind] = candidates.filter { $0 != recipient }.compactMap { user in
                members[user]?.keyPackage.map { .add(userID: user, keyPackage: $0) }
            }
            let (kept, revoked) = split(pendingSent[recipient] ?? [], keeping: desired)
            var sent = kept
            let added = makeProposals(desired.filter { kind in !kept.contains { $0.kind == kind } })
            sent += added
            pendingSent[recipient] = sent
            effects.append(deliver(appended: added, revoked: revoked, to: [recipient]))
        }
        return effects
    }

    /// Established group: Remove every leaf whose user left or failed, Add every user waiting
    /// with a key package; the same proposals go to every member that can commit.
    private mutating func reconcileEstablished() -> DAVEEffects {
        var desired: [SentProposal.Kind] = []
        for (index, user) in leaves.enumerated() {
            guard let user, let member = members[user], !member.present || member.invalid else { continue }
            desired.append(.remove(userID: user, leaf: UInt32(index)))
        }
        for user in order {
            guard let member = members[user], member.present, let package = member.keyPackage,
                member.leaf == nil || member.invalid
            else { continue }
            desired.append(.add(userID: user, keyPackage: package))
        }
        // Removes are never withdrawn: a departed member stays departed.
        let keepable = desired + inFlight.filter { if case .remove = $0.kind { true } else { false } }.map(\.kind)
        let (kept, revoked) = split(inFlight, keeping: keepable)
        let added = makeProposals(desired.filter { kind in !kept.contains { $0.kind == kind } })
        inFlight = kept + added
        return deliver(appended: added, revoked: revoked, to: committers)
    }

    /// Members that hold the group state and can commit: present, in a leaf, not failed.
    var committers: [String] {
        order.filter { user in members[user].map { $0.present && $0.leaf != nil && !$0.invalid } ?? false }
    }

    private func split(_ sent: [SentProposal], keeping desired: [SentProposal.Kind])
        -> (kept: [SentProposal], revoked: [SentProposal])
    {
        var kept: [SentProposal] = [], revoked: [SentProposal] = []
        for proposal in sent {
            if desired.contains(proposal.kind) { kept.append(proposal) } else { revoked.append(proposal) }
        }
        return (kept, revoked)
    }

    private mutating func makeProposals(_ kinds: [SentProposal.Kind]) -> [SentProposal] {
        var made: [SentProposal] = []
        for kind in kinds {
            if let proposal = makeProposal(kind) { made.append(proposal) } else { stats.rejected.append("could not sign a proposal") }
        }
        return made
    }

    private func makeProposal(_ kind: SentProposal.Kind) -> SentProposal? {
        let proposal: Proposal
        switch kind {
        case let .add(_, bytes):
            guard let package = try? KeyPackage(decoding: bytes) else { return nil }
            proposal = .add(package)
        case let .remove(_, leaf):
            proposal = .remove(leafIndex: leaf)
        }
        guard
            let message = try? ExternalProposal.make(
                groupID: groupID, epoch: epoch, senderIndex: 0,
                proposal: proposal, signatureKey: signer, suite: suite),
            case let .publicMessage(framed) = message.content
        else { return nil }
        return SentProposal(
            kind: kind, reference: ExternalProposal.reference(of: framed, suite: suite),
            message: message.encoded)
    }

    private mutating func deliver(appended: [SentProposal], revoked: [SentProposal], to recipients: [String])
        -> DAVEEffects
    {
        var effects = DAVEEffects()
        if !revoked.isEmpty {
            var vector = TLSWriter()
            vector.vector { w in revoked.forEach { w.opaque($0.reference) } }
            stats.proposalsRevoked += revoked.count * recipients.count
            for user in recipients { effects.send(.binary(.proposals(.revoke, vector: vector.bytes)), to: user) }
        }
        if !appended.isEmpty {
            var vector = TLSWriter()
            vector.vector { w in appended.forEach { w.raw($0.message) } }
            stats.proposalsSent += appended.count * recipients.count
            for user in recipients { effects.send(.binary(.proposals(.append, vector: vector.bytes)), to: user) }
        }
        return effects
    }
}
