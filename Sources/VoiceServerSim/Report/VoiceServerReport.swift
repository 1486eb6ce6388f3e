import Foundation

/// What a `VoiceServerSim` heard and saw, for tests, the benchmark and `cadence demo`.
///
/// Frame counts come from packets that decrypted; gaps and duplicates from RTP sequence
/// numbers; jitter is |inter-arrival − 20 ms| between consecutive packets of a talk spurt.
public struct VoiceServerReport: Sendable {
    /// One SSRC's media.
    public struct Stream: Sendable {
        public struct Gap: Sendable, Equatable {
            public var afterSequence: UInt16
            public var milliseconds: Double
        }

        public var ssrc: UInt32
        public var mode: String
        public var key: [UInt8]
        public var sessionID: String
        /// The user the SSRC belongs to (from identify).
        public var userID = ""
        public var packets = 0
        /// Non-silence frames that decrypted.
        public var audioFrames = 0
        /// `F8 FF FE` frames (talk-spurt tails).
        public var silenceFrames = 0
        /// Non-silence frames whose payload (after transport decryption) ends in the DAVE
        /// `FA FA` marker, i.e. end-to-end encrypted.
        public var e2eeFrames = 0
        /// Non-silence frames without the marker: plain Opus (DAVE passthrough or DAVE off).
        public var plainFrames = 0
        /// Plain frames that arrived after the first E2EE one (0 once a transition holds).
        public var plainAfterE2EE = 0
        /// E2EE frames the configured `e2eeOpener` or the server's DAVE listener turned back
        /// into Opus (then decoded).
        public var e2eeOpened = 0
        /// The first `e2eeCaptureLimit` E2EE payloads, transport decryption removed, in
        /// arrival order: what a DAVE peer of the sender can decrypt.
        public var e2eeCaptured: [[UInt8]] = []
        public var decodedFrames = 0
        public var decodeErrors = 0
        public var decryptFailures = 0
        /// Sequence numbers skipped (lost or never sent).
        public var sequenceGaps = 0
        /// Packets whose sequence number was not ahead of the last one.
        public var duplicates = 0
        public var timestampJumps = 0
        /// Packets whose nonce counter did not advance (a nonce reused under one key).
        public var nonceRepeats = 0
        /// Packets that arrived before op 5 registered the SSRC.
        public var packetsBeforeSpeaking = 0
        public var jitterP50Ms = 0.0
        public var jitterP99Ms = 0.0
        public var jitterMaxMs = 0.0
        public var jitterSamples = 0
        public var longestGapMs = 0.0
        /// Arrival gaps over 40 ms (outages, pauses between tracks).
        public var gaps: [Gap] = []
        public var firstSequence: UInt16 = 0
        public var lastSequence: UInt16 = 0
        public var firstTimestamp: UInt32 = 0
        public var lastTimestamp: UInt32 = 0
        public var firstArrivalNanoseconds: UInt64?
        public var lastArrivalNanoseconds: UInt64 = 0
        /// Decoded audio, 48 kHz stereo interleaved.
        public var pcm: [Int16] = []
        /// The first raw packets as received (for cross-checks with other implementations).
        public var captured: [[UInt8]] = []

        /// The left channel as floats in −1…1, for pitch analysis.
        public var leftChannel: [Float] {
            stride(from: 0, to: pcm.count, by: 2).map { Float(pcm[$0]) / 32768 }
        }
    }

    /// What happened on the voice WebSocket.
    public struct Gateway: Sendable {
        public var connections = 0
        public var identifies = 0
        public var resumes = 0
        public var resumesRejected = 0
        /// Messages sent again after op 9 (those after the client's `seq_ack`), and how many
        /// of them were DAVE binaries.
        public var replayedMessages = 0
        public var replayedBinaryMessages = 0
        public var heartbeats = 0
        public var heartbeatsWithoutSeqAck = 0
        public var selectedModes: [String] = []
        public var speaking: [(ssrc: UInt32, flags: Int)] = []
        public var closeCodesSent: [Int] = []
        public var maxDAVEVersions: [Int] = []
        /// Op 5 messages naming an SSRC that is not the session's (not registered).
        public var speakingForeignSSRC = 0
        /// `dave_protocol_version` each op 4 carried.
        public var negotiatedDAVEVersions: [Int] = []
    }

    /// What the DAVE delivery service saw and did (doc §8.3).
    public struct DAVE: Sendable {
        public var keyPackagesReceived = 0
        /// Proposal messages sent (one per recipient) and revoked references (one per recipient).
        public var proposalsSent = 0
        public var proposalsRevoked = 0
        public var commitsReceived = 0
        public var commitsAccepted = 0
        /// Whose commit won each epoch, in order.
        public var commitAuthors: [String] = []
        /// Each dropped commit with the check it failed.
        public var commitsDropped: [String] = []
        public var announcementsSent = 0
        public var welcomesSent = 0
        public var readyReceived = 0
        public var transitionsExecuted = 0
        public var transitionsTimedOut = 0
        /// Users that sent op 31, in order.
        public var invalidReceived: [String] = []
        public var soleMemberResets = 0
        /// Users whose op 29 was corrupted on request.
        public var corruptedAnnouncements: [String] = []
        /// Key packages and other client messages refused, with the reason.
        public var rejected: [String] = []
        public var epoch: UInt64 = 0
        /// Transitions still waiting for op 23s (0 once everyone got op 22).
        public var openTransitions = 0
        /// DAVE users in the channel not (validly) in the group yet: joining, or rejoining
        /// after op 31. Empty once everyone is in.
        public var waiting: [String] = []
        /// Leaf index → user id (nil for a blank leaf) of the established group.
        public var roster: [String?] = []
    }

    public var streams: [Stream] = []
    public var gateway = Gateway()
    public var dave = DAVE()
    public var unknownSSRCPackets = 0
    public var droppedPackets = 0
    public var discoveryRequests = 0

    /// The stream of `userID`'s SSRC (every member that selected a protocol has one, whether
    /// it sends media or not).
    public func stream(of userID: String) -> Stream? { streams.first { $0.userID == userID } }

    /// Streams in the order they first received media.
    public var streamsInOrder: [Stream] {
        streams.sorted { ($0.firstArrivalNanoseconds ?? .max) < ($1.firstArrivalNanoseconds ?? .max) }
    }

    /// A few lines a person can read: per stream, frames, integrity and jitter.
    public var summary: String {
        var lines = [
            "voice server heard \(streams.count) stream(s); gateway: \(gateway.connections) connection(s), "
                + "\(gateway.identifies) identify, \(gateway.resumes) resume, \(gateway.heartbeats) heartbeats"
        ]
        for stream in streamsInOrder {
            lines.append(
                String(
                    format: "  ssrc %u %@: %d audio + %d silence frames decoded, %d decrypt failures, "
                        + "%d seq gaps, %d duplicates, jitter p50 %.3f p99 %.3f max %.3f ms",
                    stream.ssrc, stream.mode, stream.audioFrames, stream.silenceFrames, stream.decryptFailures,
                    stream.sequenceGaps, stream.duplicates, stream.jitterP50Ms, stream.jitterP99Ms, stream.jitterMaxMs))
        }
        return lines.joined(separator: "\n")
    }
}

extension VoiceServerReport.Stream {
    /// Writes the decoded audio as a 16-bit 48 kHz stereo WAV file.
    public func writeWAV(to url: URL) throws {
        var data = Data("RIFF".utf8)
        func append<T: FixedWidthInteger>(_ value: T) { withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) } }
        let byteCount = pcm.count * 2
        append(UInt32(36 + byteCount))
        data.append(contentsOf: Array("WAVEfmt ".utf8))
        append(UInt32(16))
        append(UInt16(1))
        append(UInt16(2))
        append(UInt32(48_000))
        append(UInt32(48_000 * 4))
        append(UInt16(4))
        append(UInt16(16))
        data.append(contentsOf: Array("data".utf8))
        append(UInt32(byteCount))
        pcm.withUnsafeBytes { data.append(contentsOf: $0) }  // little-endian hosts only (x86-64, arm64)
        try data.write(to: url)
    }
}
