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
        case json(ClientMessage)
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
    /// False when the user or channel id is not a Discord snowflake: DAVE needs them as numbers,
    /// so the client then offers protocol version 0 and ignores DAVE input.
    let isAvailable: Bool
    let sender: RTPSender
    let startingNonce: UInt32
    let logger: Logger

    init(identity: VoiceIdentity, sender: RTPSender, startingNonce: UInt32, logger: Logger) {
        let user = UInt64(identity.userID), channel = UInt64(identity.channelID ?? identity.guildID)
        isAvailable = user != nil && channel != nil
        session = Mutex(DAVESession(userID: user ?? 0, channelID: channel ?? 0))
        self.sender = sender
        self.startingNonce = startingNonce
        self.logger = logger
    }

    public var status: Status {
        guard isAvailable else { return Status(protocolVersion: 0, isActive: false) }
        return session.withLock { session in
            var epoch: UInt64?
            if case let .established(value) = session.phase { epoch = value }
            return Status(protocolVersion: session.protocolVersion, isActive: session.isEncrypting,
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
