import CSodium
import Foundation
import NIOCore
import NIOPosix
import Synchronization

/// A local stand-in for Discord's voice server on 127.0.0.1: the v8 voice WebSocket and the
/// UDP media port, checking everything a client sends and able to misbehave on request.
///
/// It answers IP discovery, offers the configured AEAD modes, issues a random 32-byte key per
/// session, buffers numbered messages for resume, and for every media packet decrypts, checks
/// SSRC, sequence, timestamp and nonce, decodes the Opus and times the arrival (`report`).
///
/// The module's public face (the benchmark is its one user outside this package; tests and
/// cadence-demo use the rest through `package` access): `VoiceServerSim` with its
/// `Configuration` (`start`, `shutdown`, `endpoint`, `setVoiceChannel`, `addDAVEListener`,
/// `report`, `waitUntil`), and `VoiceServerReport` with its `Stream`, `Gap`, `Gateway` and `DAVE`
/// parts. A report is a snapshot: it never changes after `report` returns it.
public final class VoiceServerSim: Sendable {
    public struct Configuration: Sendable {
        public var offeredModes = ["aead_aes256_gcm_rtpsize", "aead_xchacha20_poly1305_rtpsize"]
        /// Discord sends 13750 on v8; tests use shorter intervals to exercise the heartbeat path.
        public var heartbeatIntervalMs = 13_750.0
        /// Close 4009 when no heartbeat came for this many intervals (0: never).
        public var heartbeatTimeoutIntervals = 2.5
        /// When set, identify/resume with another token is closed with 4004.
        public var expectedToken: String?
        /// Raw packets kept per stream for cross-checks.
        public var captureLimit = 0
        /// Send ops 11, 18, 20 and an unknown op after Session Description, as Discord does.
        public var sendIgnorableOps = true
        /// Decode each Opus frame and keep the PCM. The benchmark turns this off for many
        /// streams: packets are still decrypted, checked and counted, but not decoded or stored.
        public var decodesAudio = true
        /// The highest DAVE protocol version this server speaks; op 4 answers
        /// `min(this, client's max)`. 0 turns DAVE off entirely.
        public var daveProtocolVersion = 1
        /// Close a client whose identify offers DAVE version 0 with 4017, as Discord does
        /// since March 2026.
        public var requireDAVE = false
        /// The voice channel of a user whose voice state no one set (`setVoiceChannel`): a call
        /// is one channel, and DAVE accepts only that channel's id (big-endian) as the MLS group.
        public var channelID: UInt64 = 1_151_222_333_444_555_666
        /// How long a transition waits for every op 23 before op 22 goes out anyway.
        public var transitionTimeout = 3.0
        /// A dropped connection counts as leaving the channel after this many seconds without
        /// a resume (op 13, Remove or revoke, maybe a sole-member reset).
        public var leaveGrace = 0.5
        /// E2EE payloads kept per stream (`Stream.e2eeCaptured`).
        public var e2eeCaptureLimit = 0
        /// Turns an E2EE payload of `userID` back into Opus so the server can decode it; a test
        /// plugs a decryptor of a group member in here. Without it E2EE frames are counted only.
        public var e2eeOpener: (@Sendable (_ userID: String, _ frame: [UInt8]) -> [UInt8]?)?

        public init() {}
    }

    struct SessionRecord {
        var sessionID: String
        var userID: String
        var token: String
        var ssrc: UInt32
        var key: [UInt8]
        var mode: String?
        var maxDAVEVersion = 0
        var guildID = ""
        /// The voice channel this session is in: its call, and its MLS group.
        var channelID: UInt64 = 0
        var seq = 0
        var buffered: [(seq: Int, frame: OutboundFrame)] = []
        /// The DAVE version op 4 announced (0: plain).
        var daveVersion = 0
    }

    struct ConnectionRecord {
        let channel: any Channel
        var sessionID: String?
        var lastHeartbeat = SimClock.nanoseconds()
        /// Closes the connection with 4009 when heartbeats stop (when configured).
        var watchdog: RepeatedTask?
    }

    struct State {
        var sessions: [String: SessionRecord] = [:]
        var connections: [ObjectIdentifier: ConnectionRecord] = [:]
        var recorders: [UInt32: StreamRecorder] = [:]
        var report = VoiceServerReport()
        var ackHeartbeats = true
        var dropUDPUntil: UInt64 = 0
        var messageDelay = 0.0
        /// The calls by voice channel id; the first to start is the one `report().dave` describes.
        var calls: [UInt64: CallState] = [:]
        var firstCall: UInt64?
        let channelID: UInt64
        /// Each user's voice channel per guild ("guild/user"), as the main gateway's voice
        /// state says: Discord's voice server knows it from the session, never from the client.
        var voiceChannels: [String: UInt64] = [:]
        /// Resumes of these sessions wait until the time given (a fault injection).
        var resumeHeldUntil: [String: UInt64] = [:]
        var shuttingDown = false
    }

    /// A message as written to the WebSocket, kept for replay on resume.
    enum OutboundFrame: Sendable {
        case text(String)
        case binary([UInt8])
    }

    public let configuration: Configuration
    let state: Mutex<State>
    let group: MultiThreadedEventLoopGroup
    private let listener = Mutex<(any Channel)?>(nil)
    private let udp = Mutex<SimUDPReceiver?>(nil)

    public init(configuration: Configuration = Configuration()) {
        _ = sodium_init()
        self.configuration = configuration
        state = Mutex(State(channelID: configuration.channelID))
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
    }

    /// Binds the WebSocket and UDP ports on 127.0.0.1 and starts serving.
    public func start() async throws {
        let receiver = try SimUDPReceiver(
            host: "127.0.0.1",
            onDiscovery: { [weak self] in
                self?.state.withLock { $0.report.discoveryRequests += 1 }
            }, onMedia: { [weak self] packet, arrival in self?.receiveMedia(packet, arrival: arrival) })
        receiver.start()
        udp.withLock { $0 = receiver }
        let channel = try await bindWebSocket()
        listener.withLock { $0 = channel }
    }

    /// Stops both ports. Open connections are dropped.
    public func shutdown() async {
        udp.withLock { $0?.stop() }
        let channels = state.withLock { state in
            state.shuttingDown = true
            return state.connections.values.map(\.channel)
        }
        for channel in channels { try? await channel.close() }
        try? await listener.withLock { $0 }?.close()
        try? await group.shutdownGracefully()
    }

    /// `ws://127.0.0.1:<port>`, what a client takes as its endpoint.
    public var endpoint: String { "ws://127.0.0.1:\(webSocketPort)" }
    public var webSocketPort: Int { listener.withLock { $0?.localAddress?.port } ?? 0 }
    public var udpPort: Int { udp.withLock { $0?.port } ?? 0 }

    /// A snapshot of everything received. Without `includeAudio` the PCM and captured packets
    /// are left out, which makes it cheap enough to poll while streaming.
    public func report(includeAudio: Bool = true) -> VoiceServerReport {
        state.withLock { state in
            var report = state.report
            if let dave = state.firstCall.flatMap({ state.calls[$0]?.dave }) {
                report.dave = dave.stats
                report.dave.epoch = dave.epoch
                report.dave.openTransitions = dave.transitions.count
                report.dave.waiting = dave.order.filter { user in
                    dave.members[user].map { $0.leaf == nil || $0.invalid } ?? false
                }
                report.dave.roster = dave.established ? dave.leaves : []
            }
            report.streams = state.recorders.values.map { recorder in
                var stream = recorder.snapshot()
                if !includeAudio {
                    stream.pcm = []
                    stream.captured = []
                }
                return stream
            }.sorted { $0.ssrc < $1.ssrc }
            return report
        }
    }

    /// Polls `report(includeAudio: false)` until `condition` holds or `timeout` passes.
    public func waitUntil(timeout: Double, _ condition: (VoiceServerReport) -> Bool) async -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            if condition(report(includeAudio: false)) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return condition(report(includeAudio: false))
    }

    private func receiveMedia(_ packet: [UInt8], arrival: UInt64) {
        state.withLock { state in
            if arrival < state.dropUDPUntil {
                state.report.droppedPackets += 1
                return
            }
            guard let header = PacketOpener.header(packet), let recorder = state.recorders[header.ssrc] else {
                state.report.unknownSSRCPackets += 1
                return
            }
            let call = state.sessions[recorder.sessionID]?.channelID ?? 0
            recorder.receive(packet, arrival: arrival) { user, frame in state.calls[call]?.listener?.open(frame, from: user) }
        }
    }
}
