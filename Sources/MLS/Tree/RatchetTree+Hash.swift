extension RatchetTree {
    /// The tree hash of the whole tree (RFC 9420 §7.8).
    package func treeHash(suite: CipherSuite) -> [UInt8] {
        nodes.isEmpty ? [] : treeHash(suite: suite, node: root, excluding: [])
    }

    /// Tree hash of the subtree at `node`, treating leaves in `excluding` (leaf indices) as blank
    /// and dropping them from unmerged-leaf lists, as needed for original sibling tree hashes.
    package func treeHash(suite: CipherSuite, node x: Int, excluding: Set<UInt32>) -> [UInt8] {
        var w = TLSWriter()
        if x % 2 == 0 {
            w.u8(1)
            w.u32(UInt32(x / 2))
            if case .leaf(let leaf) = nodes[x], !excluding.contains(UInt32(x / 2)) {
                w.u8(1)
                leaf.encode(to: &w)
            } else {
                w.u8(0)
            }
        } else {
            w.u8(2)
            if case .parent(var parent) = nodes[x] {
                if !excluding.isEmpty { parent.unmergedLeaves.removeAll { excluding.contains($0) } }
                w.u8(1)
                parent.encode(to: &w)
            } else {
                w.u8(0)
            }
            guard let l = TreeMath.left(x), let r = TreeMath.right(x) else { return [] }
            w.opaque(treeHash(suite: suite, node: l, excluding: excluding))
            w.opaque(treeHash(suite: suite, node: r, excluding: excluding))
        }
        return suite.hash(w.bytes)
    }

    /// Tree hashes of every node, index-aligned with `nodes` (one pass, bottom-up).
    package func allTreeHashes(suite: CipherSuite) -> [[UInt8]] {
        var hashes = [[UInt8]](repeating: [], count: nodes.count)
        for level in 0...TreeMath.level(root) {
            let step = 1 << (level + 1)
            var x = (1 << level) - 1
            while x < nodes.count {
                var w = TLSWriter()
                if level == 0 {
                    w.u8(1)
                    w.u32(UInt32(x / 2))
                    if case .leaf(let leaf) = nodes[x] {
                        w.u8(1)
                        leaf.encode(to: &w)
                    } else {
                        w.u8(0)
                    }
                } else {
                    w.u8(2)
                    if case .parent(let p) = nodes[x] {
                        w.u8(1)
                        p.encode(to: &w)
                    } else {
                        w.u8(0)
                    }
                    w.opaque(hashes[TreeMath.left(x) ?? 0])
                    w.opaque(hashes[TreeMath.right(x) ?? 0])
                }
                hashes[x] = suite.hash(w.bytes)
                x += step
            }
        }
        return hashes
    }

    /// ParentHash(P) as seen from the child whose sibling (P's other child) is `sibling`.
    func parentHash(suite: CipherSuite, parent p: Int, sibling s: Int) -> [UInt8] {
        guard case .parent(let parent) = nodes[p] else { return [] }
        var w = TLSWriter()
        w.opaque(parent.encryptionKey)
        w.opaque(parent.parentHash)
        w.opaque(treeHash(suite: suite, node: s, excluding: Set(parent.unmergedLeaves)))
        return suite.hash(w.bytes)
    }

    private func storedParentHash(_ d: Int) -> [UInt8]? {
        switch nodes[d] {
        case .parent(let p): p.parentHash
        case .leaf(let l): l.parentHash
        case nil: nil
        }
    }

    /// RFC 9420 §7.9.2: every non-blank parent must be parent-hash valid relative to one child.
    package func verifyParentHashes(suite: CipherSuite) throws(MLSError) {
        for p in stride(from: 1, to: nodes.count, by: 2) {
            guard case .parent(let parent) = nodes[p], let l = TreeMath.left(p), let r = TreeMath.right(p) else { continue }
            let unmerged = Set(parent.unmergedLeaves.map { Int($0) * 2 })
            var valid = false
            for (c, s) in [(l, r), (r, l)] where !valid {
                let expected = parentHash(suite: suite, parent: p, sibling: s)
                let res = resolution(c)
                let unmergedUnderC = Set(unmerged.filter { TreeMath.isInSubtree($0, of: c) })
                for d in res where storedParentHash(d) == expected {
                    var rest = Set(res)
                    rest.remove(d)
                    if rest == unmergedUnderC { valid = true }
                }
            }
            guard valid else { throw .invalid(.parentHash, "parent node \(p) is not parent-hash valid") }
        }
    }

    /// Structural checks for a received tree: unmerged leaves exist and sit below their parents
    /// (and below every non-blank parent on the way), and encryption/signature keys are unique.
    package func verifyStructure() throws(MLSError) {
        for p in stride(from: 1, to: nodes.count, by: 2) {
            guard case .parent(let parent) = nodes[p] else { continue }
            for leafIndex in parent.unmergedLeaves {
                let x = Int(leafIndex) * 2
                guard x < nodes.count, leaf(Int(leafIndex)) != nil, TreeMath.isInSubtree(x, of: p) else {
                    throw .invalid(.unmergedLeaves, "node \(p) lists invalid unmerged leaf \(leafIndex)")
                }
                for q in TreeMath.directPath(x, leaves: leafCount) where TreeMath.level(q) < TreeMath.level(p) {
                    if case .parent(let between) = nodes[q], !between.unmergedLeaves.contains(leafIndex) {
                        throw .invalid(.unmergedLeaves, "leaf \(leafIndex) unmerged at \(p) but not at \(q)")
                    }
                }
            }
        }
        var encryptionKeys = Set<[UInt8]>(), signatureKeys = Set<[UInt8]>()
        for node in nodes.compactMap({ $0 }) {
            guard encryptionKeys.insert(node.encryptionKey).inserted else {
                throw .invalid(.leafNodeKeys, "duplicate encryption key in tree")
            }
            if case .leaf(let leaf) = node, !signatureKeys.insert(leaf.signatureKey).inserted {
                throw .invalid(.leafNodeKeys, "duplicate signature key in tree")
            }
        }
    }
}

extension RatchetTree {
    /// Every non-blank leaf's LeafNodeTBS signature verifies (group id and index bound where required).
    package func verifyLeafSignatures(suite: CipherSuite, groupID: [UInt8]) throws(MLSError) {
        for index in occupiedLeaves {
            guard let leaf = leaf(index), leaf.verifySignature(suite: suite, groupID: groupID, leafIndex: UInt32(index)) else {
                throw .invalid(.leafNodeSignature, "leaf \(index) signature does not verify")
            }
        }
    }
}
