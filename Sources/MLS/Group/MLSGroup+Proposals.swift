/// The provisional state after applying a commit's proposals (RFC 9420 §12.2-12.3).
struct AppliedProposals {
    var tree: RatchetTree
    var extensions: [Extension]
    /// Leaf index of each added member, paired with its key package.
    var added: [(leafIndex: Int, keyPackage: KeyPackage)] = []
    var removed: Set<Int> = []
    var psks: [PreSharedKeyID] = []
    var pathRequired = false
}

extension MLSGroup {
    /// Resolves references against cached proposals; inline proposals are attributed to the committer.
    func resolve(_ commit: Commit, committer: Int) throws(MLSError) -> [(Proposal, Sender)] {
        var result: [(Proposal, Sender)] = []
        for entry in commit.proposals {
            switch entry {
            case .proposal(let proposal):
                if case .update = proposal { throw .invalid(.proposalList, "a commit must not carry an Update by value") }
                result.append((proposal, .member(leafIndex: UInt32(committer))))
            case .reference(let ref):
                guard let cached = pendingProposals.first(where: { $0.reference == ref }) else {
                    throw .invalid(.proposalReference, "unknown proposal reference")
                }
                result.append((cached.proposal, cached.sender))
            }
        }
        return result
    }

    /// Validates the proposal list as a whole and applies it to a copy of the tree and extensions.
    func apply(_ list: [(Proposal, Sender)], committer: Int) throws(MLSError) -> AppliedProposals {
        var state = AppliedProposals(tree: tree, extensions: context.extensions)
        state.pathRequired = list.isEmpty
        var updates: [(Int, LeafNode)] = [], removes: [Int] = [], adds: [KeyPackage] = []
        var sawGCE = false
        for (proposal, sender) in list {
            switch proposal {
            case .groupContextExtensions(let extensions):
                guard !sawGCE else { throw .invalid(.proposalList, "more than one GroupContextExtensions proposal") }
                try Self.validateGroupContextExtensions(extensions)
                sawGCE = true
                state.extensions = extensions
                state.pathRequired = true
            case .update(let leaf):
                guard case .member(let index) = sender, Int(index) != committer else {
                    throw .invalid(.proposalList, "Update must come from a member other than the committer")
                }
                guard !updates.contains(where: { $0.0 == Int(index) }) else {
                    throw .invalid(.proposalList, "two Updates for leaf \(index)")
                }
                guard case .update = leaf.source else { throw .invalid(.leafNodeSource, "Update leaf must have source update") }
                guard leaf.verifySignature(suite: suite, groupID: groupID, leafIndex: index) else {
                    throw .invalid(.leafNodeSignature, "Update leaf signature does not verify")
                }
                updates.append((Int(index), leaf))
                state.pathRequired = true
            case .remove(let index):
                guard tree.leaf(Int(index)) != nil else { throw .invalid(.proposalList, "Remove targets blank leaf \(index)") }
                guard Int(index) != committer else { throw .invalid(.proposalList, "committer cannot remove itself") }
                guard !removes.contains(Int(index)) else { throw .invalid(.proposalList, "leaf \(index) removed twice") }
                removes.append(Int(index))
                state.pathRequired = true
            case .add(let keyPackage):
                try keyPackage.validate(suite: suite)
                guard !adds.contains(where: { $0.leafNode.signatureKey == keyPackage.leafNode.signatureKey }) else {
                    throw .invalid(.keyPackage, "two Adds with the same signature key")
                }
                adds.append(keyPackage)
            case .preSharedKey(let id):
                _ = try psk(for: id)
                guard !state.psks.contains(id) else { throw .invalid(.presharedKey, "PSK proposed twice") }
                state.psks.append(id)
            case .reinit, .externalInit:
                throw .invalid(.proposalList, "proposal type \(proposal.type) is not supported")
            }
        }
        if sawGCE {
            let custom = state.extensions.map(\.type).filter { $0 > 5 }
            for index in tree.occupiedLeaves where !removes.contains(index) {
                guard let leaf = tree.leaf(index), custom.allSatisfy(leaf.capabilities.extensions.contains) else {
                    throw .invalid(.extensions, "leaf \(index) does not support the new group context extensions")
                }
            }
        }
        if updates.contains(where: { removes.contains($0.0) }) {
            throw .invalid(.proposalList, "leaf both updated and removed")
        }
        for (index, leaf) in updates {
            try Self.validateLeaf(leaf, at: index, in: state.tree, extensions: state.extensions)
            state.tree.update(leaf: index, with: leaf)
        }
        for index in removes { state.tree.remove(leaf: index) }
        state.removed = Set(removes)
        for keyPackage in adds {
            try Self.validateLeaf(keyPackage.leafNode, at: nil, in: state.tree, extensions: state.extensions)
            state.added.append((state.tree.add(keyPackage.leafNode), keyPackage))
        }
        return state
    }

    /// psk_secret for the given PSK ids using this member's external PSK store.
    func pskSecret(for ids: [PreSharedKeyID]) throws(MLSError) -> [UInt8] {
        var entries: [(id: PreSharedKeyID, psk: [UInt8])] = []
        for id in ids { entries.append((id, try psk(for: id))) }
        return suite.pskSecret(entries)
    }

    /// The PSK value: an external PSK by id, or this group's resumption PSK of a recent epoch.
    func psk(for id: PreSharedKeyID) throws(MLSError) -> [UInt8] {
        guard id.nonce.count == suite.hashLength else { throw .invalid(.presharedKey, "PSK nonce must be Nh bytes") }
        switch id.kind {
        case .external(let pskID):
            guard let value = externalPSKs[pskID] else { throw .invalid(.presharedKey, "unknown external PSK") }
            return value
        case .resumption(let usage, let pskGroupID, let pskEpoch):
            guard usage == 1, pskGroupID == groupID, let value = resumptionPSKs[pskEpoch] else {
                throw .invalid(.presharedKey, "resumption PSK for epoch \(pskEpoch) not available")
            }
            return value
        }
    }
}
