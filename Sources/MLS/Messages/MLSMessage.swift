/// `PublicMessage`: signed, unencrypted handshake framing, with a membership tag for member senders.
public struct PublicMessage: MLSCodable, Equatable {
    public var content: FramedContent
    public var auth: FramedContentAuthData
    public var membershipTag: [UInt8]?

    public init(content: FramedContent, auth: FramedContentAuthData, membershipTag: [UInt8]?) {
        self.content = content
        self.auth = auth
        self.membershipTag = membershipTag
    }

    public init(from r: inout TLSReader) throws(MLSCodecError) {
        content = try r.decode()
        auth = try FramedContentAuthData(from: &r, isCommit: content.isCommit)
        if case .member = content.sender {
            membershipTag = try r.opaque("PublicMessage.membership_tag")
        } else {
            membershipTag = nil
        }
    }

    public func encode(to w: inout TLSWriter) {
        content.encode(to: &w)
        auth.encode(to: &w)
        if let membershipTag { w.opaque(membershipTag) }
    }

    public var authenticatedContent: AuthenticatedContent {
        AuthenticatedContent(wireFormat: WireFormat.publicMessage, content: content, auth: auth)
    }
}

/// `PrivateMessage`: decoded and re-encoded only; decryption (secret tree) is out of scope.
public struct PrivateMessage: MLSCodable, Equatable {
    public var groupID: [UInt8]
    public var epoch: UInt64
    public var contentType: UInt8
    public var authenticatedData: [UInt8]
    public var encryptedSenderData: [UInt8]
    public var ciphertext: [UInt8]

    public init(from r: inout TLSReader) throws(MLSCodecError) {
        groupID = try r.opaque("PrivateMessage.group_id")
        epoch = try r.u64("PrivateMessage.epoch")
        contentType = try r.u8("PrivateMessage.content_type")
        authenticatedData = try r.opaque("PrivateMessage.authenticated_data")
        encryptedSenderData = try r.opaque("PrivateMessage.encrypted_sender_data")
        ciphertext = try r.opaque("PrivateMessage.ciphertext")
    }

    public func encode(to w: inout TLSWriter) {
        w.opaque(groupID)
        w.u64(epoch)
        w.u8(contentType)
        w.opaque(authenticatedData)
        w.opaque(encryptedSenderData)
        w.opaque(ciphertext)
    }
}

/// Wire format codes.
public enum WireFormat {
    public static let publicMessage: UInt16 = 1
    public static let privateMessage: UInt16 = 2
    public static let welcome: UInt16 = 3
    public static let groupInfo: UInt16 = 4
    public static let keyPackage: UInt16 = 5
}

/// `MLSMessage`: the top-level envelope (version 1.0 only).
public enum MLSMessage: MLSCodable, Equatable {
    case publicMessage(PublicMessage)
    case privateMessage(PrivateMessage)
    case welcome(Welcome)
    case groupInfo(GroupInfo)
    case keyPackage(KeyPackage)

    public init(from r: inout TLSReader) throws(MLSCodecError) {
        let version = try r.u16("MLSMessage.version")
        guard version == 1 else { throw .unknownValue(field: "MLSMessage.version", value: UInt64(version)) }
        let format = try r.u16("MLSMessage.wire_format")
        switch format {
        case WireFormat.publicMessage: self = .publicMessage(try r.decode())
        case WireFormat.privateMessage: self = .privateMessage(try r.decode())
        case WireFormat.welcome: self = .welcome(try r.decode())
        case WireFormat.groupInfo: self = .groupInfo(try r.decode())
        case WireFormat.keyPackage: self = .keyPackage(try r.decode())
        default: throw .unknownValue(field: "MLSMessage.wire_format", value: UInt64(format))
        }
    }

    public func encode(to w: inout TLSWriter) {
        w.u16(1)
        switch self {
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
