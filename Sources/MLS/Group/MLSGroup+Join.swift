/// A Welcome opened with a key package's init key: the group secrets and the decrypted GroupInfo.
package struct OpenedWelcome: Sendable {
    package let groupSecrets: GroupSecrets
    package let groupInfo: GroupInfo
    package let epochSecrets: EpochSecrets
}

extension Welcome {
    /// Finds this key package's entry, decrypts GroupSecrets and the GroupInfo, and checks the
    /// GroupInfo's confirmation tag against the key schedule. The GroupInfo signature is left to the
    /// caller because the signer's key lives in the ratchet tree.
    package func open(
        keyPackage: KeyPackage, initPrivateKey: [UInt8],
        externalPSKs: [[UInt8]: [UInt8]] = [:]
    ) throws(MLSError) -> OpenedWelcome {
        let suite = try CipherSuite(id: cipherSuite)
        guard keyPackage.cipherSuite == cipherSuite else { throw .invalid(.cipherSuite, "Welcome and key package suites differ") }
        let ref = keyPackage.reference(suite: suite)
        guard let entry = secrets.first(where: { $0.newMember == ref }) else {
            throw .invalid(.welcomeSecrets, "Welcome has no secrets for this key package")
        }
        let plaintext = try suite.decryptWithLabel(
            privateKey: initPrivateKey, label: "Welcome", context: encryptedGroupInfo,
            ciphertext: entry.encryptedGroupSecrets, what: "GroupSecrets")
        let groupSecrets = try MLSError.decode { () throws(MLSCodecError) in try GroupSecrets(decoding: plaintext) }
        var psks: [(id: PreSharedKeyID, psk: [UInt8])] = []
        for id in groupSecrets.psks {
            guard case .external(let pskID) = id.kind, let psk = externalPSKs[pskID] else {
                throw .invalid(.presharedKey, "Welcome requires an unavailable PSK")
            }
            psks.append((id, psk))
        }
        let member = suite.extract(salt: groupSecrets.joinerSecret, ikm: suite.pskSecret(psks))
        let (key, nonce) = welcomeKeyAndNonce(suite: suite, welcomeSecret: suite.deriveSecret(member, label: "welcome"))
        let infoBytes = try suite.open(key: key, nonce: nonce, aad: [], ciphertext: encryptedGroupInfo, what: "GroupInfo")
        let groupInfo = try MLSError.decode { () throws(MLSCodecError) in try GroupInfo(decoding: infoBytes) }
        guard groupInfo.groupContext.cipherSuite == cipherSuite, groupInfo.groupContext.version == 1 else {
            throw .invalid(.groupInfo, "GroupInfo suite or version mismatch")
        }
        let epochSecrets = EpochSecrets.fromJoiner(
            suite: suite, joinerSecret: groupSecrets.joinerSecret,
            pskSecret: suite.pskSecret(psks), context: groupInfo.groupContext)
        guard
            suite.mac(key: epochSecrets.confirmationKey, data: groupInfo.groupContext.confirmedTranscriptHash)
                == groupInfo.confirmationTag
        else { throw .invalid(.confirmationTag, "GroupInfo confirmation tag does not verify") }
        return OpenedWelcome(groupSecrets: groupSecrets, groupInfo: groupInfo, epochSecrets: epochSecrets)
    }
}

extension MLSGroup {
    /// Joins a group from a Welcome (RFC 9420 §12.4.3.1), verifying the GroupInfo signature, the
    /// ratchet tree (tree hash, parent hashes, leaf signatures, structure), the own leaf, the path
    /// secret and the confirmation tag. `ratchetTree` is needed only when the GroupInfo lacks one.
    public static func join(welcome: Welcome, keyPackage: KeyPackage, secrets keys: KeyPackageSecrets) throws(MLSError) -> MLSGroup {
        try join(welcome: welcome, keyPackage: keyPackage, secrets: keys, ratchetTree: nil, externalPSKs: [:])
    }

    package static func join(
        welcome: Welcome, keyPackage: KeyPackage, secrets keys: KeyPackageSecrets,
        ratchetTree: RatchetTree? = nil, externalPSKs: [[UInt8]: [UInt8]] = [:]
    ) throws(MLSError) -> MLSGroup {
        let suite = try CipherSuite(id: welcome.cipherSuite)
        let opened = try welcome.open(keyPackage: keyPackage, initPrivateKey: keys.initKey.privateKey, externalPSKs: externalPSKs)
        let info = opened.groupInfo
        guard !info.extensions.hasDuplicateTypes else { throw .invalid(.extensions, "duplicate GroupInfo extensions") }
        try validateGroupContextExtensions(info.groupContext.extensions)
        let tree: RatchetTree
        if let data = info.extensions.data(of: Extension.ratchetTree) {
            tree = try RatchetTree(decoding: data)
        } else if let ratchetTree {
            tree = ratchetTree
        } else {
            throw .invalid(.groupInfo, "no ratchet tree in GroupInfo and none supplied")
        }
        guard let signer = tree.leaf(Int(info.signer)) else { throw .invalid(.groupInfo, "GroupInfo signer leaf is blank") }
        guard info.verifySignature(suite: suite, publicKey: signer.signatureKey) else {
            throw .invalid(.groupInfoSignature, "GroupInfo signature does not verify")
        }
        guard tree.treeHash(suite: suite) == info.groupContext.treeHash else {
            throw .invalid(.treeHash, "ratchet tree does not match the GroupContext tree hash")
        }
        try tree.verifyParentHashes(suite: suite)
        try tree.verifyLeafSignatures(suite: suite, groupID: info.groupContext.groupID)
        try tree.verifyStructure()
        guard let own = tree.index(of: keyPackage.leafNode) else { throw .invalid(.ownLeaf, "own leaf not found in the tree") }
        guard keys.encryptionKey.publicKey == keyPackage.leafNode.encryptionKey else {
            throw .invalid(.ownLeaf, "encryption key does not match the key package")
        }
        var privateKeys = TreePrivateKeys(leafIndex: own, leafKey: keys.encryptionKey)
        if let pathSecret = opened.groupSecrets.pathSecret {
            let ancestor = TreeMath.commonAncestor(leaf: 2 * own, leaf: 2 * Int(info.signer))
            _ = try tree.adoptPathSecret(pathSecret, from: ancestor, sender: Int(info.signer), suite: suite, keys: &privateKeys)
        }
        return MLSGroup(
            suite: suite, context: info.groupContext, tree: tree, ownLeafIndex: own, privateKeys: privateKeys,
            secrets: opened.epochSecrets,
            interimTranscriptHash: TranscriptHash.interim(
                suite: suite, confirmed: info.groupContext.confirmedTranscriptHash,
                confirmationTag: info.confirmationTag),
            signatureKey: keys.signatureKey, externalPSKs: externalPSKs,
            resumptionPSKs: [info.groupContext.epoch: opened.epochSecrets.resumptionPSK])
    }
}
