/// The HPKE private keys one member holds for nodes of the ratchet tree (its leaf and some parents).
///
/// Keys are stored with their public halves so that `prune` can drop any key whose node was
/// blanked or replaced, which keeps decryption from ever using a stale key.
package struct TreePrivateKeys: Sendable, Equatable {
    package var leafIndex: Int
    package private(set) var keys: [Int: HPKEKeyPair] = [:]

    package init(leafIndex: Int, leafKey: HPKEKeyPair) {
        self.leafIndex = leafIndex
        keys[2 * leafIndex] = leafKey
    }

    package mutating func set(node: Int, key: HPKEKeyPair) { keys[node] = key }

    package func key(for node: Int) -> HPKEKeyPair? { keys[node] }

    /// Drops keys that no longer match the public key at their node.
    package mutating func prune(against tree: RatchetTree) {
        keys = keys.filter { node, pair in tree.node(node)?.encryptionKey == pair.publicKey }
    }

    /// Sets the key at `node` from a path secret and returns the derived pair.
    @discardableResult
    mutating func set(node: Int, pathSecret: [UInt8], suite: CipherSuite) throws(MLSError) -> HPKEKeyPair {
        let pair = try suite.deriveKeyPair(ikm: suite.deriveSecret(pathSecret, label: "node"))
        keys[node] = pair
        return pair
    }
}
