/// `PublicMessage`: signed, unencrypted handshake framing, with a membership tag for member senders.
package struct PublicMessage: MLSCodable, Equatable {
    package var content: FramedContent
    package var auth: FramedContentAuthData
    package var membershipTag: [UInt8]?

    package init(content: FramedContent, auth: FramedContentAuthData, membershipTag: [UInt8]?) {
        self.content = content
        self.auth = auth
        self.membershipTag = membershipTag
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        content = try r.decode()
        auth = try FramedContentAuthData(from: &r, isCommit: content.isCommit)
        if case .member = content.sender {
            membershipTag = try r.opaque("PublicMessage.membership_tag")
        } else {
            membershipTag = nil
        }
    }

    package func encode(to w: inout TLSWriter) {
        content.encode(to: &w)
        auth.encode(to: &w)
        if let membershipTag { w.opaque(membershipTag) }
    }

    package var authenticatedContent: AuthenticatedContent {
        AuthenticatedContent(wireFormat: WireFormat.publicMessage, content: content, auth: auth)
    }
}

/// `PrivateMessage`: decoded and re-encoded only; decryption (secret tree) is out of scope.
package struct PrivateMessage: MLSCodable, Equatable {
    package var groupID: [UInt8]
    package var epoch: UInt64
    package var contentType: UInt8
    package var authenticatedData: [UInt8]
    package var encryptedSenderData: [UInt8]
    package var ciphertext: [UInt8]

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        groupID = try r.opaque("PrivateMessage.group_id")
        epoch = try r.u64("PrivateMessage.epoch")
        contentType = try r.u8("PrivateMessage.content_type")
        authenticatedData = try r.opaque("PrivateMessage.authenticated_data")
        encryptedSenderData = try r.opaque("PrivateMessage.encrypted_sender_data")
        ciphertext = try r.opaque("PrivateMessage.ciphertext")
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(groupID)
        w.u64(epoch)
        w.u8(contentType)
        w.opaque(authenticatedData)
        w.opaque(encryptedSenderData)
        w.opaque(ciphertext)
    }
}

/// Wire format codes.
package enum WireFormat {
    package static let publicMessage: UInt16 = 1
    package static let privateMessage: UInt16 = 2
    package static let welcome: UInt16 = 3
    package static let groupInfo: UInt16 = 4
    package static let keyPackage: UInt16 = 5
}

/// `MLSMessage`: the top-level envelope (version 1.0 only).
///
/// A struct around `Content` so the public face is one opaque message (what `commit` returns and
/// `process` takes) while the framing types stay inside the package.
package struct MLSMessage: MLSCodable, Equatable {
    /// The five wire formats.
    package enum Content: Equatable, Sendable {
        case publicMessage(PublicMessage)
        case privateMessage(PrivateMessage)
        case welcome(Welcome)
        case groupInfo(GroupInfo)
        case keyPackage(KeyPackage)
    }

    package var content: Content

    package init(_ content: Content) { self.content = content }

    package static func publicMessage(_ message: PublicMessage) -> MLSMessage { MLSMessage(.publicMessage(message)) }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        self.content = try Self.decodeContent(from: &r)
    }

    private static func decodeContent(from r: inout TLSReader) throws(MLSCodecError) -> Content {
        let version = try r.u16("MLSMessage.version")
        guard version == 1 else { throw .unknownValue(field: "MLSMessage.version", value: UInt64(version)) }
        let format = try r.u16("MLSMessage.wire_format")
        switch format {
        case WireFormat.publicMessage: return .publicMessage(try r.decode())
        case WireFormat.privateMessage: return .privateMessage(try r.decode())
        case WireFormat.welcome: return .welcome(try r.decode())
        case WireFormat.groupInfo: return .groupInfo(try r.decode())
        case WireFormat.keyPackage: return .keyPackage(try r.decode())
        default: throw .unknownValue(field: "MLSMessage.wire_format", value: UInt64(format))
        }
    }

    package func encode(to w: inout TLSWriter) {
        w.u16(1)
        switch content {
        case .publicMessage(let m):
            w.u16(WireFormat.publicMessage)
            m.encode(to: &w)
        case .privateMessage(let m):
            w.u16(WireFormat.privateMessage)
            m.encode(to: &w)
        case .welcome(let m):
            w.u16(WireFormat.welcome)
            m.encode(to: &w)
        case .groupInfo(let m):
            w.u16(WireFormat.groupInfo)
            m.encode(to: &w)
        case .keyPackage(let m):
            w.u16(WireFormat.keyPackage)
            m.encode(to: &w)
        }
    }
}
