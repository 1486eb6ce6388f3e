/// `GroupContext`: the group state every epoch's secrets and signatures are bound to.
package struct GroupContext: MLSCodable, Equatable {
    package var version: UInt16 = 1
    package var cipherSuite: UInt16
    package var groupID: [UInt8]
    package var epoch: UInt64
    package var treeHash: [UInt8]
    package var confirmedTranscriptHash: [UInt8]
    package var extensions: [Extension]

    package init(
        cipherSuite: UInt16, groupID: [UInt8], epoch: UInt64, treeHash: [UInt8],
        confirmedTranscriptHash: [UInt8], extensions: [Extension]
    ) {
        self.cipherSuite = cipherSuite
        self.groupID = groupID
        self.epoch = epoch
        self.treeHash = treeHash
        self.confirmedTranscriptHash = confirmedTranscriptHash
        self.extensions = extensions
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        version = try r.u16("GroupContext.version")
        cipherSuite = try r.u16("GroupContext.cipher_suite")
        groupID = try r.opaque("GroupContext.group_id")
        epoch = try r.u64("GroupContext.epoch")
        treeHash = try r.opaque("GroupContext.tree_hash")
        confirmedTranscriptHash = try r.opaque("GroupContext.confirmed_transcript_hash")
        extensions = try r.vector("GroupContext.extensions")
    }

    package func encode(to w: inout TLSWriter) {
        w.u16(version)
        w.u16(cipherSuite)
        w.opaque(groupID)
        w.u64(epoch)
        w.opaque(treeHash)
        w.opaque(confirmedTranscriptHash)
        w.vector(extensions)
    }
}

/// `GroupInfo`: the signed group state a Welcome carries to new members.
package struct GroupInfo: MLSCodable, Equatable {
    package var groupContext: GroupContext
    package var extensions: [Extension]
    package var confirmationTag: [UInt8]
    package var signer: UInt32
    package var signature: [UInt8]

    package init(groupContext: GroupContext, extensions: [Extension], confirmationTag: [UInt8], signer: UInt32, signature: [UInt8] = []) {
        self.groupContext = groupContext
        self.extensions = extensions
        self.confirmationTag = confirmationTag
        self.signer = signer
        self.signature = signature
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        groupContext = try r.decode()
        extensions = try r.vector("GroupInfo.extensions")
        confirmationTag = try r.opaque("GroupInfo.confirmation_tag")
        signer = try r.u32("GroupInfo.signer")
        signature = try r.opaque("GroupInfo.signature")
    }

    var toBeSigned: [UInt8] {
        var w = TLSWriter()
        groupContext.encode(to: &w)
        w.vector(extensions)
        w.opaque(confirmationTag)
        w.u32(signer)
        return w.bytes
    }

    package func encode(to w: inout TLSWriter) {
        w.raw(toBeSigned)
        w.opaque(signature)
    }

    package func verifySignature(suite: CipherSuite, publicKey: [UInt8]) -> Bool {
        suite.verifyWithLabel(publicKey: publicKey, label: "GroupInfoTBS", content: toBeSigned, signature: signature)
    }

    package mutating func sign(suite: CipherSuite, privateKey: [UInt8]) throws(MLSError) {
        signature = try suite.signWithLabel(privateKey: privateKey, label: "GroupInfoTBS", content: toBeSigned)
    }
}

/// `EncryptedGroupSecrets`: one new member's GroupSecrets, keyed by its KeyPackageRef.
package struct EncryptedGroupSecrets: MLSCodable, Equatable {
    package var newMember: [UInt8]
    package var encryptedGroupSecrets: HPKECiphertext

    package init(newMember: [UInt8], encryptedGroupSecrets: HPKECiphertext) {
        self.newMember = newMember
        self.encryptedGroupSecrets = encryptedGroupSecrets
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        newMember = try r.opaque("EncryptedGroupSecrets.new_member")
        encryptedGroupSecrets = try r.decode()
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(newMember)
        encryptedGroupSecrets.encode(to: &w)
    }
}

/// `Welcome`: group secrets for each new member and the encrypted GroupInfo.
public struct Welcome: MLSCodable, Equatable {
    package var cipherSuite: UInt16
    package var secrets: [EncryptedGroupSecrets]
    package var encryptedGroupInfo: [UInt8]

    package init(cipherSuite: UInt16, secrets: [EncryptedGroupSecrets], encryptedGroupInfo: [UInt8]) {
        self.cipherSuite = cipherSuite
        self.secrets = secrets
        self.encryptedGroupInfo = encryptedGroupInfo
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        cipherSuite = try r.u16("Welcome.cipher_suite")
        secrets = try r.vector("Welcome.secrets")
        encryptedGroupInfo = try r.opaque("Welcome.encrypted_group_info")
    }

    package func encode(to w: inout TLSWriter) {
        w.u16(cipherSuite)
        w.vector(secrets)
        w.opaque(encryptedGroupInfo)
    }
}
