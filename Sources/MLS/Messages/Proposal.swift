/// A proposal to change the group. All RFC 9420 types decode (so any message round-trips);
/// the group logic acts on Add, Remove, Update, PreSharedKey and GroupContextExtensions.
package enum Proposal: MLSCodable, Equatable {
    case add(KeyPackage)
    case update(LeafNode)
    case remove(leafIndex: UInt32)
    case preSharedKey(PreSharedKeyID)
    case reinit(groupID: [UInt8], version: UInt16, cipherSuite: UInt16, extensions: [Extension])
    case externalInit(kemOutput: [UInt8])
    case groupContextExtensions([Extension])

    package var type: UInt16 {
        switch self {
        case .add: 1
        case .update: 2
        case .remove: 3
        case .preSharedKey: 4
        case .reinit: 5
        case .externalInit: 6
        case .groupContextExtensions: 7
        }
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        let type = try r.u16("Proposal.proposal_type")
        switch type {
        case 1: self = .add(try r.decode())
        case 2: self = .update(try r.decode())
        case 3: self = .remove(leafIndex: try r.u32("Remove.removed"))
        case 4: self = .preSharedKey(try r.decode())
        case 5:
            self = .reinit(
                groupID: try r.opaque("ReInit.group_id"), version: try r.u16("ReInit.version"),
                cipherSuite: try r.u16("ReInit.cipher_suite"), extensions: try r.vector("ReInit.extensions"))
        case 6: self = .externalInit(kemOutput: try r.opaque("ExternalInit.kem_output"))
        case 7: self = .groupContextExtensions(try r.vector("GroupContextExtensions.extensions"))
        default: throw .unknownValue(field: "Proposal.proposal_type", value: UInt64(type))
        }
    }

    package func encode(to w: inout TLSWriter) {
        w.u16(type)
        encodeBody(to: &w)
    }

    /// The proposal body without its type (the `Add`, `Remove`, ... struct alone).
    package func encodeBody(to w: inout TLSWriter) {
        switch self {
        case .add(let keyPackage): keyPackage.encode(to: &w)
        case .update(let leaf): leaf.encode(to: &w)
        case .remove(let index): w.u32(index)
        case .preSharedKey(let id): id.encode(to: &w)
        case .reinit(let groupID, let version, let suite, let extensions):
            w.opaque(groupID)
            w.u16(version)
            w.u16(suite)
            w.vector(extensions)
        case .externalInit(let kemOutput): w.opaque(kemOutput)
        case .groupContextExtensions(let extensions): w.vector(extensions)
        }
    }

    /// Decodes a bare proposal body of the given type (as in the messages test vectors).
    package static func decodeBody(type: UInt16, from bytes: [UInt8]) throws(MLSCodecError) -> Proposal {
        var w = TLSWriter()
        w.u16(type)
        w.raw(bytes)
        return try Proposal(decoding: w.bytes)
    }
}

/// A proposal carried inline in a commit or referenced by its ProposalRef.
package enum ProposalOrRef: MLSCodable, Equatable {
    case proposal(Proposal)
    case reference([UInt8])

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        let type = try r.u8("ProposalOrRef.type")
        switch type {
        case 1: self = .proposal(try r.decode())
        case 2: self = .reference(try r.opaque("ProposalOrRef.reference"))
        default: throw .unknownValue(field: "ProposalOrRef.type", value: UInt64(type))
        }
    }

    package func encode(to w: inout TLSWriter) {
        switch self {
        case .proposal(let p):
            w.u8(1)
            p.encode(to: &w)
        case .reference(let ref):
            w.u8(2)
            w.opaque(ref)
        }
    }
}

/// `UpdatePathNode`: a new parent public key and its path secret encrypted to the copath resolution.
package struct UpdatePathNode: MLSCodable, Equatable {
    package var encryptionKey: [UInt8]
    package var encryptedPathSecret: [HPKECiphertext]

    package init(encryptionKey: [UInt8], encryptedPathSecret: [HPKECiphertext]) {
        self.encryptionKey = encryptionKey
        self.encryptedPathSecret = encryptedPathSecret
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        encryptionKey = try r.opaque("UpdatePathNode.encryption_key")
        encryptedPathSecret = try r.vector("UpdatePathNode.encrypted_path_secret")
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(encryptionKey)
        w.vector(encryptedPathSecret)
    }
}

/// `UpdatePath`: the committer's new leaf and one node per filtered direct path entry.
package struct UpdatePath: MLSCodable, Equatable {
    package var leafNode: LeafNode
    package var nodes: [UpdatePathNode]

    package init(leafNode: LeafNode, nodes: [UpdatePathNode]) {
        self.leafNode = leafNode
        self.nodes = nodes
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        leafNode = try r.decode()
        nodes = try r.vector("UpdatePath.nodes")
    }

    package func encode(to w: inout TLSWriter) {
        leafNode.encode(to: &w)
        w.vector(nodes)
    }
}

/// `Commit`: the proposals it applies and, when required, an UpdatePath.
package struct Commit: MLSCodable, Equatable {
    package var proposals: [ProposalOrRef]
    package var path: UpdatePath?

    package init(proposals: [ProposalOrRef], path: UpdatePath?) {
        self.proposals = proposals
        self.path = path
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        proposals = try r.vector("Commit.proposals")
        path = try r.optional("Commit.path")
    }

    package func encode(to w: inout TLSWriter) {
        w.vector(proposals)
        w.optional(path)
    }
}
