import MLS

@testable import DAVE

/// A minimal stand-in for the voice gateway's delivery service, for driving DAVESessions in
/// unit tests: it signs Add/Remove proposals as the external sender and splits op 28.
struct TestGateway {
    let channelID: UInt64
    let key = SignatureKeyPair.generate()
    var epoch: UInt64 = 0

    init(channelID: UInt64 = 0x0123_4567_89AB_CDEF) { self.channelID = channelID }

    /// The op 25 payload, mirroring Discord's one-byte identity.
    var externalSenderPackage: [UInt8] {
        ExternalSender(signatureKey: key.publicKey, credential: .basic(identity: [0])).encoded
    }

    var groupID: [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: channelID >> (56 - 8 * $0)) } }

    /// A signed external proposal and its ProposalRef.
    func proposal(_ proposal: Proposal, epoch: UInt64? = nil) throws -> (message: [UInt8], ref: [UInt8]) {
        let message = try ExternalProposal.make(
            groupID: groupID, epoch: epoch ?? self.epoch, senderIndex: 0,
            proposal: proposal, signatureKey: key)
        guard case let .publicMessage(publicMessage) = message.content else { throw TestGatewayError.notPublic }
        return (message.encoded, ExternalProposal.reference(of: publicMessage))
    }

    func add(keyPackage bytes: [UInt8], epoch: UInt64? = nil) throws -> (message: [UInt8], ref: [UInt8]) {
        try proposal(.add(KeyPackage(decoding: bytes)), epoch: epoch)
    }

    func remove(leaf: UInt32) throws -> (message: [UInt8], ref: [UInt8]) {
        try proposal(.remove(leafIndex: leaf))
    }

    /// op 27 append: `V(msg || msg …)`.
    static func append(_ messages: [[UInt8]]) -> DAVEBinaryMessage {
        var w = TLSWriter()
        w.opaque(messages.flatMap { $0 })
        return .proposals(.append, vector: w.bytes)
    }

    /// op 27 revoke: `V(V(ref) || …)`.
    static func revoke(_ refs: [[UInt8]]) -> DAVEBinaryMessage {
        var w = TLSWriter()
        w.vector { w in refs.forEach { w.opaque($0) } }
        return .proposals(.revoke, vector: w.bytes)
    }

    /// Splits an op 28 payload into the commit MLSMessage and the bare Welcome after it.
    static func split(_ payload: [UInt8]) throws -> (commit: [UInt8], welcome: [UInt8]?) {
        var r = TLSReader(payload)
        _ = try MLSMessage(from: &r)
        let commitLength = payload.count - r.remaining
        let rest = Array(payload[commitLength...])
        return (Array(payload[..<commitLength]), rest.isEmpty ? nil : rest)
    }
}

enum TestGatewayError: Error { case notPublic, missingOutput(String) }

extension [DAVEOutput] {
    var keyPackage: [UInt8]? {
        for case let .send(.keyPackage(bytes)) in self { return bytes }
        return nil
    }

    var commitWelcome: [UInt8]? {
        for case let .send(.commitWelcome(bytes)) in self { return bytes }
        return nil
    }

    var sendRatchet: KeyRatchet?? {
        for case let .sendRatchet(ratchet) in self { return .some(ratchet) }
        return nil
    }

    var receiveRatchets: [UInt64: KeyRatchet]? {
        for case let .receiveRatchets(ratchets) in self { return ratchets }
        return nil
    }

    func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw TestGatewayError.missingOutput(what) }
        return value
    }
}
