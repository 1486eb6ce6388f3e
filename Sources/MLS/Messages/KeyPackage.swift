/// A KeyPackage: a prospective member's init key and leaf node, signed by the leaf's key.
public struct KeyPackage: MLSCodable, Equatable {
    package var version: UInt16
    package var cipherSuite: UInt16
    package var initKey: [UInt8]
    package var leafNode: LeafNode
    package var extensions: [Extension]
    package var signature: [UInt8]

    package init(
        version: UInt16 = 1, cipherSuite: UInt16 = 2, initKey: [UInt8], leafNode: LeafNode,
        extensions: [Extension] = [], signature: [UInt8] = []
    ) {
        self.version = version
        self.cipherSuite = cipherSuite
        self.initKey = initKey
        self.leafNode = leafNode
        self.extensions = extensions
        self.signature = signature
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        version = try r.u16("KeyPackage.version")
        cipherSuite = try r.u16("KeyPackage.cipher_suite")
        initKey = try r.opaque("KeyPackage.init_key")
        leafNode = try r.decode()
        extensions = try r.vector("KeyPackage.extensions")
        signature = try r.opaque("KeyPackage.signature")
    }

    var toBeSigned: [UInt8] {
        var w = TLSWriter()
        w.u16(version)
        w.u16(cipherSuite)
        w.opaque(initKey)
        leafNode.encode(to: &w)
        w.vector(extensions)
        return w.bytes
    }

    package func encode(to w: inout TLSWriter) {
        w.raw(toBeSigned)
        w.opaque(signature)
    }

    /// `KeyPackageRef` = RefHash("MLS 1.0 KeyPackage Reference", KeyPackage).
    package func reference(suite: CipherSuite) -> [UInt8] {
        suite.refHash(label: "MLS 1.0 KeyPackage Reference", value: encoded)
    }

    /// RFC 9420 §10.1 checks: suite, version, both signatures, source, and distinct init/encryption keys.
    package func validate(suite: CipherSuite) throws(MLSError) {
        guard cipherSuite == suite.id else { throw .invalid(.cipherSuite, "key package suite \(cipherSuite)") }
        guard version == 1 else { throw .invalid(.protocolVersion, "key package version \(version)") }
        guard
            suite.verifyWithLabel(
                publicKey: leafNode.signatureKey, label: "KeyPackageTBS",
                content: toBeSigned, signature: signature)
        else { throw .invalid(.keyPackageSignature, "KeyPackageTBS signature does not verify") }
        guard case .keyPackage = leafNode.source else {
            throw .invalid(.leafNodeSource, "key package leaf must have source key_package")
        }
        guard leafNode.verifySignature(suite: suite, groupID: [], leafIndex: 0) else {
            throw .invalid(.leafNodeSignature, "key package leaf node signature does not verify")
        }
        guard initKey != leafNode.encryptionKey else { throw .invalid(.initKey, "init key equals encryption key") }
    }

    /// Creates and signs a key package with fresh HPKE keys; returns it with the private keys.
    /// (Valid forever, with this library's capabilities.)
    public static func create(suite: CipherSuite, identity: [UInt8], signatureKey: SignatureKeyPair) throws(MLSError) -> (
        KeyPackage, KeyPackageSecrets
    ) {
        try create(
            suite: suite, identity: identity, signatureKey: signatureKey,
            lifetime: Lifetime(notBefore: 0, notAfter: .max), capabilities: .default)
    }

    package static func create(
        suite: CipherSuite, identity: [UInt8], signatureKey: SignatureKeyPair,
        lifetime: Lifetime = Lifetime(notBefore: 0, notAfter: .max),
        capabilities: Capabilities = .default
    ) throws(MLSError) -> (KeyPackage, KeyPackageSecrets) {
        let initKey = HPKEKeyPair.generate()
        let encryptionKey = HPKEKeyPair.generate()
        var leaf = LeafNode(
            encryptionKey: encryptionKey.publicKey, signatureKey: signatureKey.publicKey,
            credential: .basic(identity: identity), capabilities: capabilities,
            source: .keyPackage(lifetime), extensions: [])
        try leaf.sign(suite: suite, privateKey: signatureKey.privateKey, groupID: [], leafIndex: 0)
        var package = KeyPackage(cipherSuite: suite.id, initKey: initKey.publicKey, leafNode: leaf)
        package.signature = try suite.signWithLabel(
            privateKey: signatureKey.privateKey, label: "KeyPackageTBS",
            content: package.toBeSigned)
        return (package, KeyPackageSecrets(initKey: initKey, encryptionKey: encryptionKey, signatureKey: signatureKey))
    }
}

/// The private half of a key package, needed to join from a Welcome.
public struct KeyPackageSecrets: Sendable {
    package let initKey: HPKEKeyPair
    package let encryptionKey: HPKEKeyPair
    package let signatureKey: SignatureKeyPair

    package init(initKey: HPKEKeyPair, encryptionKey: HPKEKeyPair, signatureKey: SignatureKeyPair) {
        self.initKey = initKey
        self.encryptionKey = encryptionKey
        self.signatureKey = signatureKey
    }
}
