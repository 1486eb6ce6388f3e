import DAVE
import Logging
import Synchronization

/// A voice connection's DAVE state, shared by every gateway session of that connection so a
/// resume keeps the MLS group: it feeds gateway inputs to the `DAVESession`, turns the session's
/// outputs into gateway messages and hands key switches to the RTP sender.
///
/// Guarantees: inputs are applied one at a time in arrival order; the sender only ever gets a
/// ratchet from an executed transition, so it sends plain Opus until then and never drops a frame
/// waiting for keys.
public final class VoiceE2EE: Sendable {
    /// A message the gateway session must write.
    enum Outgoing: Sendable {
        case binary([UInt8])
        case json(VoiceGatewayClientMessage)
    }

    /// What the bot can show about E2EE.
    public struct Status: Sendable, Equatable {
        /// The protocol version the server chose (0 = none).
        public var protocolVersion: Int
        /// Whether outgoing audio is DAVE-encrypted right now.
        public var isActive: Bool
        /// The 30-digit voice privacy code of the current epoch, while active.
        public var privacyCode: String?
        /// The MLS epoch, once a group is established.
        public var epoch: UInt64?
    }

    let session: Mutex<DAVESession>
    /// Whether this connection offers DAVE at all (`maxDAVEProtocolVersion` ≥ 1). When it does,
    /// the user and channel ids must be snowflakes (`identityProblem` is nil).
    let isAvailable: Bool
    /// Why DAVE cannot start with the identity given, when it would be offered: the
    /// connection refuses to connect with this error instead of guessing a group id.
    let identityProblem: VoiceError?
    let sender: RTPSender
    let startingNonce: UInt32
    let logger: Logger

    init(identity: VoiceIdentity, offersDAVE: Bool = true, sender: RTPSender, startingNonce: UInt32, logger: Logger) {
        var ids: (user: UInt64, channel: UInt64) = (0, 0)
        var problem: VoiceError?
        do { ids = try Self.daveIDs(of: identity) } catch { problem = error }
        identityProblem = offersDAVE ? problem : nil
        isAvailable = offersDAVE && problem == nil
        let (user, channel) = ids
        session = Mutex(DAVESession(userID: user, channelID: channel))
        self.sender = sender
        self.startingNonce = startingNonce
        self.logger = logger
    }

    /// The user id and the MLS group id (the voice channel), as DAVE needs them. Never falls
    /// back to another id: a group that is not the channel's is refused by every other member.
    static func daveIDs(of identity: VoiceIdentity) throws(VoiceError) -> (user: UInt64, channel: UInt64) {
        guard let user = UInt64(identity.userID) else { throw .daveIdentity(field: "user_id", value: identity.userID) }
        guard let text = identity.channelID else { throw .daveIdentity(field: "channel_id", value: nil) }
        guard let channel = UInt64(text) else { throw .daveIdentity(field: "channel_id", value: text) }
        return (user, channel)
    }

    /// A move to another voice channel: the old group is left (its state dropped, audio plain
    /// until the new group's first transition) and a fresh session for `channelID`'s group waits
    /// for the next session description.
    func move(toChannel channelID: String) throws(VoiceError) {
        guard isAvailable else { return }
        guard let channel = UInt64(channelID) else { throw .daveIdentity(field: "channel_id", value: channelID) }
        session.withLock { session in session = DAVESession(userID: session.userID, channelID: channel) }
        sender.installE2EE(nil)
        logger.info("DAVE: moved to channel \(channelID); rejoining its group")
    }

    package var status: Status {
        guard isAvailable else { return Status(protocolVersion: 0, isActive: false) }
        return session.withLock { session in
            var epoch: UInt64?
            if case let .established(value) = session.phase { epoch = value }
            return Status(
                protocolVersion: session.protocolVersion, isActive: session.isEncrypting,
                privacyCode: session.privacyCode, epoch: epoch)
        }
    }

    /// Applies one input and returns what to send. Bad input is logged and dropped, as the
    /// session's state is unchanged by it.
    func handle(_ input: DAVEInput) -> [Outgoing] {
        guard isAvailable else { return [] }
        let outputs: [DAVEOutput]
        do {
            outputs = try session.withLock { session throws(DAVEError) in try session.handle(input) }
        } catch {
            logger.warning("DAVE: ignoring input: \(error)")
            return []
        }
        var outgoing: [Outgoing] = []
        for output in outputs {
            switch output {
            case let .send(message):
                outgoing.append(.binary(message.clientFrame))
            case let .transitionReady(id):
                outgoing.append(.json(.daveTransitionReady(id)))
            case let .invalidCommitWelcome(id):
                outgoing.append(.json(.daveInvalidCommitWelcome(id)))
            case let .sendRatchet(ratchet):
                sender.installE2EE(ratchet.map { FrameEncryptor(ratchet: $0, startingNonce: startingNonce) })
                logger.info("DAVE: send side \(ratchet == nil ? "passthrough" : "encrypting")")
            case .receiveRatchets, .receivePassthrough:
                break  // a send-only bot decrypts nothing
            case let .recovered(error):
                logger.warning("DAVE: recovered with op 31 from \(error)")
            }
        }
        return outgoing
    }
}
