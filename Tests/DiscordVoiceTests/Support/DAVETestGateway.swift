import DAVE
import MLS

/// The gateway's half of DAVE for connection-level tests: signs external proposals and splits
/// op 28, and a second DAVE member that joins through the client's Welcome.
struct DAVETestGateway {
    let channelID: UInt64
    let key = SignatureKeyPair.generate()

    var externalSender: DAVEBinaryMessage {
        .externalSender(package: ExternalSender(signatureKey: key.publicKey, credential: .basic(identity: [0])).encoded)
    }

    /// op 27 append with one Add of `keyPackage` at `epoch`.
    func appendAdd(_ keyPackage: [UInt8], epoch: UInt64) throws -> DAVEBinaryMessage {
        let groupID = (0..<8).map { UInt8(truncatingIfNeeded: channelID >> (56 - 8 * $0)) }
        let message = try ExternalProposal.make(
            groupID: groupID, epoch: epoch, senderIndex: 0,
            proposal: .add(KeyPackage(decoding: keyPackage)), signatureKey: key)
        var w = TLSWriter()
        w.opaque(message.encoded)
        return .proposals(.append, vector: w.bytes)
    }

    /// op 28 payload → (commit, welcome).
    static func split(_ payload: [UInt8]) throws -> (commit: [UInt8], welcome: [UInt8]) {
        var r = TLSReader(payload)
        _ = try MLSMessage(from: &r)
        let end = payload.count - r.remaining
        return (Array(payload[..<end]), Array(payload[end...]))
    }
}
