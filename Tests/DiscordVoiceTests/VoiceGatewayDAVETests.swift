import DAVE
import Logging
import Testing

@testable import DiscordVoice

/// Binary DAVE frames through a gateway session, and MLS state across a resume: the DAVE state
/// belongs to the connection, so a resumed session continues the group the last one built.
@Suite struct VoiceGatewayDAVETests {
    let identity = VoiceIdentity(
        guildID: "41771983423143937", userID: "104694319306248192", sessionID: "s",
        channelID: "41771983423143999")

    func session(_ start: VoiceGatewaySession.Start, e2ee: VoiceE2EE, sender: RTPSender) -> VoiceGatewaySession {
        VoiceGatewaySession(
            url: "ws://127.0.0.1:9/?v=8", identity: identity, token: "t", start: start,
            options: .init(), sender: sender, e2ee: e2ee, logger: Logger(label: "test")
        ) { _ in }
    }

    /// The binary frames queued so far (the session is not running, so nothing drains them).
    func queuedBinaries(_ session: VoiceGatewaySession) async -> [[UInt8]] {
        session.outbox.finish()
        var frames: [[UInt8]] = []
        try? await session.outbox.drain { item in
            if case let .binary(bytes) = item { frames.append(bytes) }
            return true
        }
        return frames
    }

    @Test func binaryFramesAdvanceSeqAckAndAResumedSessionCommitsWithTheGroupTheFirstOneBuilt() async throws {
        let sender = RTPSender()
        let e2ee = VoiceE2EE(identity: identity, sender: sender, startingNonce: 0, logger: Logger(label: "test"))
        let gateway = DAVETestGateway(channelID: try #require(UInt64(identity.channelID ?? "")))

        let first = session(.identify, e2ee: e2ee, sender: sender)
        first.forward(e2ee.handle(.sessionDescription(protocolVersion: 1)))
        first.receive(binary: gateway.externalSender.serverFrame(sequence: 12))
        #expect(first.lastSeq == 12)
        first.receive(binary: [0, 13])  // truncated: ignored, seq unchanged
        #expect(first.lastSeq == 12)
        #expect(await queuedBinaries(first).map(\.first) == [DAVEOpcode.keyPackage.rawValue])

        // The socket dropped; the resumed session gets the replayed op 11 and op 27.
        let resumed = session(.resume(seqAck: first.lastSeq), e2ee: e2ee, sender: sender)
        #expect(resumed.lastSeq == 12)
        var peer = DAVESession(userID: 555, channelID: gateway.channelID)
        let peerPackage = try #require(
            peer.handle(.sessionDescription(protocolVersion: 1)).compactMap {
                if case let .send(.keyPackage(bytes)) = $0 { bytes } else { nil }
            }.first)
        resumed.forward(e2ee.handle(.clientsConnected([555])))
        resumed.receive(binary: try gateway.appendAdd(peerPackage, epoch: 0).serverFrame(sequence: 14))
        #expect(resumed.lastSeq == 14)
        let commits = await queuedBinaries(resumed)
        #expect(commits.count == 1 && commits.first?.first == DAVEOpcode.commitWelcome.rawValue)
    }
}
