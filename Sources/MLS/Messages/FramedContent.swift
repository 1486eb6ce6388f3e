/// Who sent a handshake message.
package enum Sender: MLSCodable, Equatable {
    case member(leafIndex: UInt32)
    case external(senderIndex: UInt32)
    case newMemberProposal
    case newMemberCommit

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        let type = try r.u8("Sender.sender_type")
        switch type {
        case 1: self = .member(leafIndex: try r.u32("Sender.leaf_index"))
        case 2: self = .external(senderIndex: try r.u32("Sender.sender_index"))
        case 3: self = .newMemberProposal
        case 4: self = .newMemberCommit
        default: throw .unknownValue(field: "Sender.sender_type", value: UInt64(type))
        }
    }

    package func encode(to w: inout TLSWriter) {
        switch self {
        case .member(let index):
            w.u8(1)
            w.u32(index)
        case .external(let index):
            w.u8(2)
            w.u32(index)
        case .newMemberProposal: w.u8(3)
        case .newMemberCommit: w.u8(4)
        }
    }
}

/// The body of a framed message.
package enum FramedBody: Equatable, Sendable {
    case application([UInt8])
    case proposal(Proposal)
    case commit(Commit)

    package var contentType: UInt8 {
        switch self {
        case .application: 1
        case .proposal: 2
        case .commit: 3
        }
    }
}

/// `FramedContent`: group, epoch, sender, authenticated data and the body.
package struct FramedContent: MLSCodable, Equatable {
    package var groupID: [UInt8]
    package var epoch: UInt64
    package var sender: Sender
    package var authenticatedData: [UInt8]
    package var body: FramedBody

    package init(groupID: [UInt8], epoch: UInt64, sender: Sender, authenticatedData: [UInt8] = [], body: FramedBody) {
        self.groupID = groupID
        self.epoch = epoch
        self.sender = sender
        self.authenticatedData = authenticatedData
        self.body = body
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        groupID = try r.opaque("FramedContent.group_id")
        epoch = try r.u64("FramedContent.epoch")
        sender = try r.decode()
        authenticatedData = try r.opaque("FramedContent.authenticated_data")
        let type = try r.u8("FramedContent.content_type")
        switch type {
        case 1: body = .application(try r.opaque("FramedContent.application_data"))
        case 2: body = .proposal(try r.decode())
        case 3: body = .commit(try r.decode())
        default: throw .unknownValue(field: "FramedContent.content_type", value: UInt64(type))
        }
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(groupID)
        w.u64(epoch)
        sender.encode(to: &w)
        w.opaque(authenticatedData)
        w.u8(body.contentType)
        switch body {
        case .application(let data): w.opaque(data)
        case .proposal(let p): p.encode(to: &w)
        case .commit(let c): c.encode(to: &w)
        }
    }

    var isCommit: Bool { if case .commit = body { true } else { false } }
}

/// `FramedContentAuthData`: the signature and, for commits, the confirmation tag.
package struct FramedContentAuthData: Equatable, Sendable {
    package var signature: [UInt8]
    package var confirmationTag: [UInt8]?

    package init(signature: [UInt8], confirmationTag: [UInt8]?) {
        self.signature = signature
        self.confirmationTag = confirmationTag
    }

    init(from r: inout TLSReader, isCommit: Bool) throws(MLSCodecError) {
        signature = try r.opaque("FramedContentAuthData.signature")
        confirmationTag = isCommit ? try r.opaque("FramedContentAuthData.confirmation_tag") : nil
    }

    func encode(to w: inout TLSWriter) {
        w.opaque(signature)
        if let confirmationTag { w.opaque(confirmationTag) }
    }
}

/// `AuthenticatedContent`: what transcript hashes and proposal references are computed over.
package struct AuthenticatedContent: MLSCodable, Equatable {
    package var wireFormat: UInt16
    package var content: FramedContent
    package var auth: FramedContentAuthData

    package init(wireFormat: UInt16, content: FramedContent, auth: FramedContentAuthData) {
        self.wireFormat = wireFormat
        self.content = content
        self.auth = auth
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        wireFormat = try r.u16("AuthenticatedContent.wire_format")
        content = try r.decode()
        auth = try FramedContentAuthData(from: &r, isCommit: content.isCommit)
    }

    package func encode(to w: inout TLSWriter) {
        w.u16(wireFormat)
        content.encode(to: &w)
        auth.encode(to: &w)
    }

    /// `FramedContentTBS`; the group context is bound for member and new-member-commit senders only.
    package static func toBeSigned(wireFormat: UInt16, content: FramedContent, context: GroupContext?) -> [UInt8] {
        var w = TLSWriter()
        w.u16(1)
        w.u16(wireFormat)
        content.encode(to: &w)
        switch content.sender {
        case .member, .newMemberCommit: context?.encode(to: &w)
        case .external, .newMemberProposal: break
        }
        return w.bytes
    }

    /// `ConfirmedTranscriptHashInput`: wire format, content and signature.
    package var confirmedTranscriptHashInput: [UInt8] {
        var w = TLSWriter()
        w.u16(wireFormat)
        content.encode(to: &w)
        w.opaque(auth.signature)
        return w.bytes
    }

    /// ProposalRef = RefHash("MLS 1.0 Proposal Reference", AuthenticatedContent).
    package func proposalReference(suite: CipherSuite) -> [UInt8] {
        suite.refHash(label: "MLS 1.0 Proposal Reference", value: encoded)
    }
}
