/// The HPKE private keys one member holds for nodes of the ratchet tree (its leaf and some parents).
///
/// Keys are stored with their public halves so that `prune` can drop any key whose node was
/// blanked or replaced, which keeps decryption from ever using a stale key.
public struct TreePrivateKeys: Sendable, Equatable {
    public var leafIndex: Int
    public private(set) var keys: [Int: HPKEKeyPair] = [:]

    public init(leafIndex: Int, leafKey: HPKEKeyPair) {
        self.leafIndex = leafIndex
        keys[2 * leafIndex] = leafKey
    }

    public mutating func set(node: Int, key: HPKEKeyPair) { keys[node] = key }

    public func key(for node: Int) -> HPKEKeyPair? { keys[node] }

    /// Drops keys that no longer match the public key at their node.
    public mutating func prune(against tree: RatchetTree) {
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
