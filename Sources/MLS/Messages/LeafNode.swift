/// Where a leaf node came from, which decides what its signature covers.
package enum LeafNodeSource: Equatable, Sendable {
    case keyPackage(Lifetime)
    case update
    case commit(parentHash: [UInt8])

    var wireValue: UInt8 {
        switch self {
        case .keyPackage: 1
        case .update: 2
        case .commit: 3
        }
    }
}

/// A member's leaf in the ratchet tree: its HPKE and signature keys, credential and capabilities.
///
/// Decoding only checks syntax; `verifySignature` and the group's validation check semantics.
package struct LeafNode: MLSCodable, Equatable {
    package var encryptionKey: [UInt8]
    package var signatureKey: [UInt8]
    package var credential: Credential
    package var capabilities: Capabilities
    package var source: LeafNodeSource
    package var extensions: [Extension]
    package var signature: [UInt8]

    package init(
        encryptionKey: [UInt8], signatureKey: [UInt8], credential: Credential, capabilities: Capabilities,
        source: LeafNodeSource, extensions: [Extension], signature: [UInt8] = []
    ) {
        self.encryptionKey = encryptionKey
        self.signatureKey = signatureKey
        self.credential = credential
        self.capabilities = capabilities
        self.source = source
        self.extensions = extensions
        self.signature = signature
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        encryptionKey = try r.opaque("LeafNode.encryption_key")
        signatureKey = try r.opaque("LeafNode.signature_key")
        credential = try r.decode()
        capabilities = try r.decode()
        let source = try r.u8("LeafNode.leaf_node_source")
        switch source {
        case 1: self.source = .keyPackage(try r.decode())
        case 2: self.source = .update
        case 3: self.source = .commit(parentHash: try r.opaque("LeafNode.parent_hash"))
        default: throw .unknownValue(field: "LeafNode.leaf_node_source", value: UInt64(source))
        }
        extensions = try r.vector("LeafNode.extensions")
        signature = try r.opaque("LeafNode.signature")
    }

    private func encodeContent(to w: inout TLSWriter) {
        w.opaque(encryptionKey)
        w.opaque(signatureKey)
        credential.encode(to: &w)
        capabilities.encode(to: &w)
        w.u8(source.wireValue)
        switch source {
        case .keyPackage(let lifetime): lifetime.encode(to: &w)
        case .update: break
        case .commit(let parentHash): w.opaque(parentHash)
        }
        w.vector(extensions)
    }

    package func encode(to w: inout TLSWriter) {
        encodeContent(to: &w)
        w.opaque(signature)
    }

    /// `LeafNodeTBS`; group id and leaf index are bound only for update and commit sources.
    package func toBeSigned(groupID: [UInt8], leafIndex: UInt32) -> [UInt8] {
        var w = TLSWriter()
        encodeContent(to: &w)
        switch source {
        case .keyPackage: break
        case .update, .commit:
            w.opaque(groupID)
            w.u32(leafIndex)
        }
        return w.bytes
    }

    package mutating func sign(suite: CipherSuite, privateKey: [UInt8], groupID: [UInt8], leafIndex: UInt32) throws(MLSError) {
        signature = try suite.signWithLabel(
            privateKey: privateKey, label: "LeafNodeTBS",
            content: toBeSigned(groupID: groupID, leafIndex: leafIndex))
    }

    package func verifySignature(suite: CipherSuite, groupID: [UInt8], leafIndex: UInt32) -> Bool {
        suite.verifyWithLabel(
            publicKey: signatureKey, label: "LeafNodeTBS",
            content: toBeSigned(groupID: groupID, leafIndex: leafIndex), signature: signature)
    }

    var parentHash: [UInt8]? {
        if case .commit(let hash) = source { return hash }
        return nil
    }
}
