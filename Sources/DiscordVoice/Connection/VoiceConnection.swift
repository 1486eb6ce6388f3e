import Foundation
import Logging
import Synchronization

/// A voice connection to one guild: the voice WebSocket, the UDP route and the RTP sender
/// that the player plays into, kept alive across drops, resumes and moves.
///
/// Use: `let voice = VoiceConnection(identity:server:)`, `try await voice.connect()`, then
/// `Player(sink: voice.sender, pacer:)`. Feed later VOICE_SERVER_UPDATEs to `serverUpdate`.
///
/// Guarantees: recovery follows the close-code table (doc §1.5) with capped, jittered backoff;
/// while recovering `sender.isReady` is false, so the pacer holds frames and the track resumes
/// where it stopped; `events` reports every step.
public final class VoiceConnection: Sendable {
    /// Tunables; the defaults are what a production bot uses.
    public struct Options: Sendable {
        /// Offered in Identify: 1 speaks DAVE (E2EE), 0 refuses it (real Discord then closes
        /// E2EE-eligible calls with 4017).
        public var maxDAVEProtocolVersion = 1
        /// Test hook: the DAVE send nonce each new epoch starts from (0 in production; near
        /// 2^24 to exercise the generation rollover).
        public var daveStartingNonce: UInt32 = 0
        /// Allow aead_aes256_gcm_rtpsize when offered (and the CPU has AES instructions).
        public var allowAESGCM = true
        public var handshakeTimeout = 10.0
        public var ipDiscoveryTimeout = 5.0
        /// Unacknowledged heartbeats after which the socket is closed and resumed.
        public var maxMissedHeartbeats = 2
        /// How long to wait for a VOICE_SERVER_UPDATE after 4014/4022 or a rejoin request.
        public var serverUpdateTimeout = 10.0
        package var backoff = Backoff()

        public init() {}
    }

    enum PendingUpdate: Sendable {
        /// A new server, and the channel when the update came with a move.
        case server(VoiceServer, channelID: String?)
        case gone
    }

    struct Control {
        var identity: VoiceIdentity
        var server: VoiceServer
        var pending: PendingUpdate?
        var session: VoiceGatewaySession?
        var stopRequested = false
        var attempts = 0
        var lostAt: ContinuousClock.Instant?
        var firstReady: CheckedContinuation<Void, any Error>?
        var finished: VoiceError?
        var task: Task<Void, Never>?
    }

    public let options: Options
    /// The player's sink.
    public let sender: RTPSender
    package let events: AsyncStream<VoiceConnectionEvent>
    /// DAVE state; it lives as long as the connection so resumes keep the MLS group.
    let e2ee: VoiceE2EE
    let eventInput: AsyncStream<VoiceConnectionEvent>.Continuation
    let control: Mutex<Control>
    let logger: Logger

    public init(
        identity: VoiceIdentity, server: VoiceServer, options: Options = Options(),
        sender: RTPSender = RTPSender(), logger: Logger = Logger(label: "cadence.voice")
    ) {
        self.options = options
        self.sender = sender
        self.logger = logger
        control = Mutex(Control(identity: identity, server: server))
        e2ee = VoiceE2EE(
            identity: identity, offersDAVE: options.maxDAVEProtocolVersion >= 1, sender: sender,
            startingNonce: options.daveStartingNonce, logger: logger)
        (events, eventInput) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    deinit { control.withLock { $0.task }?.cancel() }

    /// Who is connected: the ids from the main gateway, with the channel of the latest move.
    public var identity: VoiceIdentity { control.withLock { $0.identity } }

    /// Starts the connection and returns once media can flow (or throws why it cannot).
    /// Recovery after that runs in the background until `disconnect`. With DAVE offered and no
    /// usable channel id it throws `VoiceError.daveIdentity` before opening anything.
    public func connect() async throws {
        if let problem = e2ee.identityProblem { throw problem }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let task = Task { await self.supervise() }
            control.withLock {
                $0.firstReady = continuation
                $0.task = task
            }
        }
    }

    /// A VOICE_SERVER_UPDATE arrived: `nil` endpoint means the server went away (wait for the
    /// next one); a server while connected means moving there with the new token. `channelID`
    /// is the voice channel from the VOICE_STATE_UPDATE that came with it: when it differs, the
    /// connection leaves the old channel's MLS group and joins the new one's.
    public func serverUpdate(_ server: VoiceServer?, channelID: String? = nil) {
        let session = control.withLock { control -> VoiceGatewaySession? in
            control.pending = server.map { .server($0, channelID: channelID) } ?? .gone
            return control.session
        }
        session?.close(code: 4000, end: .requested)
    }

    /// Closes the socket and stops recovering. The sender stays not-ready afterwards.
    public func disconnect() async {
        let (session, task) = control.withLock { control in
            control.stopRequested = true
            return (control.session, control.task)
        }
        session?.close(code: 1000, end: .requested)
        await task?.value
    }

    /// Why the connection stopped, once it has.
    package var stopReason: VoiceError? { control.withLock { $0.finished } }

    /// DAVE as it stands: negotiated version, whether audio is end-to-end encrypted, and the
    /// voice privacy code to show users.
    public var e2eeStatus: VoiceE2EE.Status { e2ee.status }

    /// Whether outgoing audio is DAVE-encrypted right now.
    public var isE2EEActive: Bool { e2ee.status.isActive }

    /// The 30-digit voice privacy code of the current epoch, while E2EE is active.
    public var privacyCode: String? { e2ee.status.privacyCode }

    /// The voice WebSocket's latest heartbeat round trip (what Lavalink reports as `ping`); nil
    /// while no socket is open or before its first acknowledgement.
    public var heartbeatRoundTrip: Duration? { control.withLock { $0.session }?.heartbeatRoundTrip }

    /// The endpoint currently in use.
    public var endpoint: String { control.withLock { $0.server.endpoint } }
}
