/// Identifies a pre-shared key injected into the key schedule (external or resumption).
package struct PreSharedKeyID: MLSCodable, Equatable {
    package enum Kind: Equatable, Sendable {
        case external(id: [UInt8])
        case resumption(usage: UInt8, groupID: [UInt8], epoch: UInt64)
    }

    package var kind: Kind
    package var nonce: [UInt8]

    package init(kind: Kind, nonce: [UInt8]) {
        self.kind = kind
        self.nonce = nonce
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        let type = try r.u8("PreSharedKeyID.psktype")
        switch type {
        case 1:
            kind = .external(id: try r.opaque("PreSharedKeyID.psk_id"))
        case 2:
            let usage = try r.u8("PreSharedKeyID.usage")
            kind = .resumption(
                usage: usage, groupID: try r.opaque("PreSharedKeyID.psk_group_id"),
                epoch: try r.u64("PreSharedKeyID.psk_epoch"))
        default:
            throw .unknownValue(field: "PreSharedKeyID.psktype", value: UInt64(type))
        }
        nonce = try r.opaque("PreSharedKeyID.psk_nonce")
    }

    package func encode(to w: inout TLSWriter) {
        switch kind {
        case .external(let id):
            w.u8(1)
            w.opaque(id)
        case .resumption(let usage, let groupID, let epoch):
            w.u8(2)
            w.u8(usage)
            w.opaque(groupID)
            w.u64(epoch)
        }
        w.opaque(nonce)
    }
}

/// `GroupSecrets`: what a Welcome delivers to each new member.
package struct GroupSecrets: MLSCodable, Equatable {
    package var joinerSecret: [UInt8]
    package var pathSecret: [UInt8]?
    package var psks: [PreSharedKeyID]

    package init(joinerSecret: [UInt8], pathSecret: [UInt8]?, psks: [PreSharedKeyID]) {
        self.joinerSecret = joinerSecret
        self.pathSecret = pathSecret
        self.psks = psks
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        joinerSecret = try r.opaque("GroupSecrets.joiner_secret")
        pathSecret = try r.presence("GroupSecrets.path_secret") ? try r.opaque("PathSecret.path_secret") : nil
        psks = try r.vector("GroupSecrets.psks")
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(joinerSecret)
        if let pathSecret {
            w.u8(1)
            w.opaque(pathSecret)
        } else {
            w.u8(0)
        }
        w.vector(psks)
    }
}
