import COpus

/// Everything the server checks and keeps about one SSRC's media. Used only on the UDP thread
/// (and under the server's lock when a report is taken).
final class StreamRecorder {
    let ssrc: UInt32
    let opener: PacketOpener
    let sessionID: String
    private let decoder: OpaquePointer?
    private var pcmScratch = [Int16](repeating: 0, count: 5760 * 2)
    var stream: VoiceServerReport.Stream
    private var last: (sequence: UInt16, timestamp: UInt32, counter: UInt32, arrival: UInt64, silence: Bool)?
    private var jitterMicroseconds: [Int] = []
    var speakingAnnounced = false
    let captureLimit: Int
    let e2eeCaptureLimit: Int
    /// Without DAVE every frame is plain Opus, even one whose last bytes happen to look like
    /// the `FA FA` protocol-frame trailer.
    let daveNegotiated: Bool
    let e2eeOpener: (@Sendable (String, [UInt8]) -> [UInt8]?)?

    init(
        ssrc: UInt32, mode: String, key: [UInt8], sessionID: String, captureLimit: Int, decodesAudio: Bool = true,
        userID: String = "", e2eeCaptureLimit: Int = 0, e2eeOpener: (@Sendable (String, [UInt8]) -> [UInt8]?)? = nil,
        daveNegotiated: Bool = false
    ) {
        self.daveNegotiated = daveNegotiated
        self.e2eeCaptureLimit = e2eeCaptureLimit
        self.e2eeOpener = e2eeOpener
        self.ssrc = ssrc
        self.sessionID = sessionID
        opener = PacketOpener(mode: mode, key: key)
        var status: Int32 = 0
        decoder = decodesAudio ? opus_decoder_create(48_000, 2, &status) : nil
        stream = VoiceServerReport.Stream(ssrc: ssrc, mode: mode, key: key, sessionID: sessionID)
        stream.userID = userID
        self.captureLimit = captureLimit
    }

    deinit { if let decoder { opus_decoder_destroy(decoder) } }

    /// Checks, decrypts, decodes and records one datagram that arrived at `arrival` (ns).
    /// `open` is the server's own DAVE member, tried after the configured `e2eeOpener`.
    func receive(_ packet: [UInt8], arrival: UInt64, open: (String, [UInt8]) -> [UInt8]? = { _, _ in nil }) {
        stream.packets += 1
        if !speakingAnnounced { stream.packetsBeforeSpeaking += 1 }
        let opened: PacketOpener.Opened
        do {
            opened = try opener.open(packet)
        } catch {
            stream.decryptFailures += 1
            return
        }
        if stream.captured.count < captureLimit { stream.captured.append(packet) }
        if stream.firstArrivalNanoseconds == nil {
            stream.firstArrivalNanoseconds = arrival
            stream.firstSequence = opened.sequence
            stream.firstTimestamp = opened.timestamp
        }
        stream.lastArrivalNanoseconds = arrival
        stream.lastSequence = opened.sequence
        stream.lastTimestamp = opened.timestamp
        let silence = opened.payload == [0xF8, 0xFF, 0xFE]
        if let last {
            let step = Int(Int16(bitPattern: opened.sequence &- last.sequence))
            if step <= 0 {
                stream.duplicates += 1
                return
            }
            if step > 1 { stream.sequenceGaps += step - 1 }
            if opened.timestamp &- last.timestamp != UInt32(truncatingIfNeeded: 960 * step) { stream.timestampJumps += 1 }
            if opened.counter <= last.counter && !(last.counter > UInt32.max - 1000 && opened.counter < 1000) {
                stream.nonceRepeats += 1
            }
            // Signed: a kernel stamp can be a few µs earlier than the previous packet's (the
            // realtime → monotonic conversion moves), which unsigned arithmetic wraps to ~584 years.
            let interval = Double(Int64(bitPattern: arrival &- last.arrival)) / 1e6
            let gap = max(0, interval)
            stream.longestGapMs = max(stream.longestGapMs, gap)
            if gap > 40 { stream.gaps.append(.init(afterSequence: last.sequence, milliseconds: gap)) }
            // A talk spurt starts after a silence tail: that pause is not jitter.
            if step == 1, !last.silence {
                jitterMicroseconds.append(Int(((interval - 20) * 1000).magnitude))
            }
        }
        last = (opened.sequence, opened.timestamp, opened.counter, arrival, silence)
        if silence {
            stream.silenceFrames += 1
            return decode(opened.payload)
        }
        stream.audioFrames += 1
        guard daveNegotiated, Self.isE2EE(opened.payload) else {
            stream.plainFrames += 1
            if stream.e2eeFrames > 0 { stream.plainAfterE2EE += 1 }
            return decode(opened.payload)
        }
        stream.e2eeFrames += 1
        if stream.e2eeCaptured.count < e2eeCaptureLimit { stream.e2eeCaptured.append(opened.payload) }
        // Encrypted Opus is noise to a decoder: decode only what a member's key opened.
        if let opus = e2eeOpener?(stream.userID, opened.payload) ?? open(stream.userID, opened.payload) {
            stream.e2eeOpened += 1
            decode(opus)
        }
    }

    /// The receiver-side protocol-frame check (doc §5.8): `FA FA` marker, a size byte that fits
    /// the tag, nonce and itself, and room for it in the payload.
    static func isE2EE(_ payload: [UInt8]) -> Bool {
        let count = payload.count
        guard count >= 12, payload[count - 1] == 0xFA, payload[count - 2] == 0xFA else { return false }
        let size = Int(payload[count - 3])
        return size >= 12 && size <= count
    }

    private func decode(_ payload: [UInt8]) {
        guard let decoder else { return }
        let samples = payload.withUnsafeBufferPointer { bytes in
            opus_decode(decoder, bytes.baseAddress, Int32(bytes.count), &pcmScratch, 5760, 0)
        }
        guard samples > 0 else {
            stream.decodeErrors += 1
            return
        }
        stream.decodedFrames += 1
        stream.pcm.append(contentsOf: pcmScratch[0..<Int(samples) * 2])
    }

    /// The stream's figures now, with jitter percentiles computed from every sample so far.
    func snapshot() -> VoiceServerReport.Stream {
        var copy = stream
        let sorted = jitterMicroseconds.sorted()
        func percentile(_ p: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let index = min(sorted.count - 1, Int((Double(sorted.count) * p / 100).rounded(.up)) - 1)
            return Double(sorted[max(0, index)]) / 1000
        }
        copy.jitterP50Ms = percentile(50)
        copy.jitterP99Ms = percentile(99)
        copy.jitterMaxMs = Double(sorted.last ?? 0) / 1000
        copy.jitterSamples = sorted.count
        return copy
    }
}
