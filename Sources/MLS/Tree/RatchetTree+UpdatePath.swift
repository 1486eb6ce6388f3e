/// The result of creating an UpdatePath: what to send and what the committer keeps.
package struct CreatedUpdatePath: Sendable {
    package let path: UpdatePath
    /// Path secret per filtered-direct-path node, needed for Welcome GroupSecrets.
    package let pathSecrets: [Int: [UInt8]]
    package let commitSecret: [UInt8]
    package let leafKey: HPKEKeyPair
    package let nodeKeys: [Int: HPKEKeyPair]
}

/// The result of decrypting someone else's UpdatePath.
package struct DecryptedUpdatePath: Sendable {
    /// The first path secret this member decrypted (at the lowest shared ancestor).
    package let pathSecret: [UInt8]
    package let commitSecret: [UInt8]
}

extension RatchetTree {
    /// Replaces the sender's direct path with fresh parent nodes holding `keys` (one per filtered
    /// direct path node) and computes their parent hashes top-down; returns the leaf's parent hash.
    mutating func installPath(suite: CipherSuite, sender: Int, filteredPath: [Int], keys: [[UInt8]]) -> [UInt8] {
        blankDirectPath(leaf: sender)
        for (node, key) in zip(filteredPath, keys) {
            setNode(node, .parent(ParentNode(encryptionKey: key, parentHash: [], unmergedLeaves: [])))
        }
        var hash: [UInt8] = []
        for node in filteredPath.reversed() {
            guard case .parent(var parent) = nodes[node] else { continue }
            parent.parentHash = hash
            setNode(node, .parent(parent))
            if let sibling = copathChild(of: node, toward: 2 * sender) {
                hash = parentHash(suite: suite, parent: node, sibling: sibling)
            }
        }
        return hash
    }

    /// Validates a received UpdatePath against this tree (proposals already applied) and merges it:
    /// node count, leaf source, leaf parent hash and leaf signature are all checked.
    package mutating func merge(path: UpdatePath, sender: Int, suite: CipherSuite, groupID: [UInt8]) throws(MLSError) {
        let filtered = filteredDirectPath(leaf: sender)
        guard path.nodes.count == filtered.count else {
            throw .invalid(.updatePath, "path has \(path.nodes.count) nodes, filtered direct path has \(filtered.count)")
        }
        guard case .commit(let claimed) = path.leafNode.source else {
            throw .invalid(.leafNodeSource, "UpdatePath leaf must have source commit")
        }
        guard path.leafNode.verifySignature(suite: suite, groupID: groupID, leafIndex: UInt32(sender)) else {
            throw .invalid(.leafNodeSignature, "UpdatePath leaf signature does not verify")
        }
        var updated = self
        let expected = updated.installPath(suite: suite, sender: sender, filteredPath: filtered, keys: path.nodes.map(\.encryptionKey))
        guard expected == claimed else { throw .invalid(.parentHash, "UpdatePath leaf parent hash mismatch") }
        updated.setNode(2 * sender, .leaf(path.leafNode))
        self = updated
    }

    /// Resolution of `node` without the leaves in `excluded` (new members of this commit).
    func recipients(of node: Int, excluding excluded: Set<Int>) -> [Int] {
        resolution(node).filter { !($0 % 2 == 0 && excluded.contains($0 / 2)) }
    }

    /// Builds an UpdatePath for `sender` and merges it into this tree. `context` maps the new
    /// tree hash to the provisional GroupContext the path secrets are encrypted under.
    package mutating func createUpdatePath(
        suite: CipherSuite, sender: Int, leaf template: LeafNode, signatureKey: [UInt8], groupID: [UInt8],
        excluding excluded: Set<Int>, pathSecret initial: [UInt8], context: ([UInt8]) -> GroupContext
    ) throws(MLSError) -> CreatedUpdatePath {
        let filtered = filteredDirectPath(leaf: sender)
        var secrets: [Int: [UInt8]] = [:], nodeKeys: [Int: HPKEKeyPair] = [:]
        var secret = initial
        for node in filtered {
            secrets[node] = secret
            nodeKeys[node] = try suite.deriveKeyPair(ikm: suite.deriveSecret(secret, label: "node"))
            secret = suite.deriveSecret(secret, label: "path")
        }
        let leafKey = HPKEKeyPair.generate()
        let hash = installPath(
            suite: suite, sender: sender, filteredPath: filtered,
            keys: filtered.map { nodeKeys[$0]?.publicKey ?? [] })
        var leaf = template
        leaf.encryptionKey = leafKey.publicKey
        leaf.source = .commit(parentHash: hash)
        try leaf.sign(suite: suite, privateKey: signatureKey, groupID: groupID, leafIndex: UInt32(sender))
        setNode(2 * sender, .leaf(leaf))
        let contextBytes = context(treeHash(suite: suite)).encoded
        var pathNodes: [UpdatePathNode] = []
        for node in filtered {
            guard let copath = copathChild(of: node, toward: 2 * sender), let pair = nodeKeys[node], let s = secrets[node] else { continue }
            var ciphertexts: [HPKECiphertext] = []
            for r in recipients(of: copath, excluding: excluded) {
                guard let key = self.node(r)?.encryptionKey else { continue }
                ciphertexts.append(try suite.encryptWithLabel(publicKey: key, label: "UpdatePathNode", context: contextBytes, plaintext: s))
            }
            pathNodes.append(UpdatePathNode(encryptionKey: pair.publicKey, encryptedPathSecret: ciphertexts))
        }
        return CreatedUpdatePath(
            path: UpdatePath(leafNode: leaf, nodes: pathNodes), pathSecrets: secrets,
            commitSecret: secret, leafKey: leafKey, nodeKeys: nodeKeys)
    }

    /// Decrypts the path secret meant for `keys.leafIndex` from a path already merged into this
    /// tree, derives the keys up to the root (checking each public key) and the commit secret.
    package func decrypt(
        path: UpdatePath, sender: Int, suite: CipherSuite, excluding excluded: Set<Int>,
        context: GroupContext, keys: inout TreePrivateKeys
    ) throws(MLSError) -> DecryptedUpdatePath {
        let me = 2 * keys.leafIndex
        let filtered = filteredDirectPath(leaf: sender)
        guard let start = filtered.firstIndex(where: { TreeMath.isInSubtree(me, of: $0) }),
            let copath = copathChild(of: filtered[start], toward: 2 * sender)
        else { throw .invalid(.updatePath, "no path node covers leaf \(keys.leafIndex)") }
        let recipients = recipients(of: copath, excluding: excluded)
        guard path.nodes.count == filtered.count, path.nodes[start].encryptedPathSecret.count == recipients.count else {
            throw .invalid(.updatePath, "ciphertext count does not match resolution at node \(filtered[start])")
        }
        guard let position = recipients.firstIndex(where: { keys.key(for: $0) != nil }),
            let key = keys.key(for: recipients[position])
        else { throw .invalid(.updatePath, "no private key for the resolution of node \(copath)") }
        let first = try suite.decryptWithLabel(
            privateKey: key.privateKey, label: "UpdatePathNode", context: context.encoded,
            ciphertext: path.nodes[start].encryptedPathSecret[position], what: "path secret")
        let commitSecret = try adoptPathSecret(first, from: filtered[start], sender: sender, suite: suite, keys: &keys)
        return DecryptedUpdatePath(pathSecret: first, commitSecret: commitSecret)
    }

    /// Derives node keys from `pathSecret` at `node` up the sender's filtered direct path, checks
    /// them against the tree's public keys, stores them, and returns the commit secret.
    func adoptPathSecret(
        _ pathSecret: [UInt8], from node: Int, sender: Int, suite: CipherSuite,
        keys: inout TreePrivateKeys
    ) throws(MLSError) -> [UInt8] {
        let filtered = filteredDirectPath(leaf: sender)
        guard let start = filtered.firstIndex(of: node) else {
            throw .invalid(.pathSecret, "node \(node) is not on the committer's filtered direct path")
        }
        var secret = pathSecret
        for n in filtered[start...] {
            let pair = try keys.set(node: n, pathSecret: secret, suite: suite)
            guard self.node(n)?.encryptionKey == pair.publicKey else {
                throw .invalid(.pathSecret, "derived public key does not match node \(n)")
            }
            secret = suite.deriveSecret(secret, label: "path")
        }
        return secret
    }
}
