import DAVE
import Logging
import Testing

@testable import DiscordVoice

/// The connection's DAVE driver between the gateway messages and the RTP sender.
@Suite struct VoiceE2EEFlowTests {
    let identity = VoiceIdentity(
        guildID: "41771983423143937", userID: "104694319306248192", sessionID: "s",
        channelID: "41771983423143999")

    func makeE2EE(_ sender: RTPSender = RTPSender()) -> VoiceE2EE {
        VoiceE2EE(identity: identity, sender: sender, startingNonce: 0, logger: Logger(label: "test"))
    }

    func binaryFrames(_ outgoing: [VoiceE2EE.Outgoing]) -> [[UInt8]] {
        outgoing.compactMap { if case let .binary(bytes) = $0 { bytes } else { nil } }
    }

    @Test func aServerThatPicksVersionZeroGetsNoDAVEMessagesAndAudioStaysPlain() {
        let sender = RTPSender()
        let e2ee = makeE2EE(sender)
        #expect(e2ee.handle(.sessionDescription(protocolVersion: 0)).isEmpty)
        _ = e2ee.handle(.prepareTransition(PrepareTransition(transitionID: 0, protocolVersion: 0)))
        #expect(e2ee.status == .init(protocolVersion: 0, isActive: false, privacyCode: nil, epoch: nil))
        #expect(!sender.isE2EEActive)
    }

    @Test func aNonNumericUserIsAnIdentityProblemNotASilentFallback() {
        let e2ee = VoiceE2EE(
            identity: VoiceIdentity(guildID: "g", userID: "bot", sessionID: "s", channelID: "1"),
            sender: RTPSender(), startingNonce: 0, logger: Logger(label: "test"))
        #expect(!e2ee.isAvailable)
        #expect(e2ee.identityProblem == .daveIdentity(field: "user_id", value: "bot"))
    }

    @Test func aConnectionThatOffersNoDAVENeedsNoChannel() {
        let e2ee = VoiceE2EE(
            identity: VoiceIdentity(guildID: "41771983423143937", userID: "104694319306248192", sessionID: "s"),
            offersDAVE: false, sender: RTPSender(), startingNonce: 0, logger: Logger(label: "test"))
        #expect(!e2ee.isAvailable && e2ee.identityProblem == nil)
        #expect(e2ee.handle(.sessionDescription(protocolVersion: 1)).isEmpty)
    }

    @Test func theClientAddsAPeerAndStartsEncryptingOnlyWhenTheTransitionExecutes() throws {
        let sender = RTPSender()
        let e2ee = makeE2EE(sender)
        let channel = try #require(UInt64(identity.channelID ?? ""))
        let gateway = DAVETestGateway(channelID: channel)

        let opening = binaryFrames(e2ee.handle(.sessionDescription(protocolVersion: 1)))
        #expect(opening.count == 1 && opening.first?.first == DAVEOpcode.keyPackage.rawValue)
        #expect(e2ee.handle(.binary(gateway.externalSender)).isEmpty)

        var peer = DAVESession(userID: 555, channelID: channel)
        let peerPackage = try #require(
            peer.handle(.sessionDescription(protocolVersion: 1)).compactMap {
                if case let .send(.keyPackage(bytes)) = $0 { bytes } else { nil }
            }.first)
        _ = try peer.handle(.binary(gateway.externalSender))
        _ = e2ee.handle(.clientsConnected([555]))

        let commitFrames = binaryFrames(e2ee.handle(.binary(try gateway.appendAdd(peerPackage, epoch: 0))))
        let op28 = try #require(commitFrames.first)
        #expect(op28.first == DAVEOpcode.commitWelcome.rawValue)
        let (commit, welcome) = try DAVETestGateway.split(Array(op28.dropFirst()))

        let ready = e2ee.handle(.binary(.announceCommit(transitionID: 5, commit: commit)))
        #expect(ready.contains { if case .json(.daveTransitionReady(5)) = $0 { true } else { false } })
        #expect(!sender.isE2EEActive, "the send side waits for op 22")
        _ = try peer.handle(.binary(.welcome(transitionID: 5, welcome: welcome)))

        _ = e2ee.handle(.executeTransition(TransitionID(5)))
        _ = try peer.handle(.executeTransition(TransitionID(5)))
        #expect(sender.isE2EEActive)
        let status = e2ee.status
        #expect(status.isActive && status.epoch == 1 && status.protocolVersion == 1)
        #expect(status.privacyCode != nil && status.privacyCode == peer.privacyCode)
    }
}
