import CFFmpeg
import COpus

/// The whole way from a compressed packet to the Opus frames the ring holds, for one player's
/// continuous stream: libavcodec → libswresample (48 kHz stereo float) → Lavalink's filters →
/// 960-sample frames → gain → libopus, or the source's own packet when nothing touches the
/// samples.
///
/// The decoder thread calls `feed` once per packet and gets the finished frames in a
/// `FrameBatch` it owns. Tracks follow each other in the same sample stream: the partial last
/// frame of one track is completed by the first samples of the next, and one encoder runs
/// across the boundary, so nothing is inserted or removed. libavcodec already drops what the
/// source marks as priming and padding (the LAME/Xing tag's delay and padding, MP4 edit
/// lists, Opus pre-skip and end trim, all as skip-samples side data), so the decoded samples
/// are the track's exact length. Every frame is kept in `history` so that frames still
/// waiting in the ring can be rendered again under a new volume (`rerender`); a filter change
/// makes them again from their dry samples instead (`Transcoder+Filters`). While the filters
/// leave the samples as they are, frames are cut straight from the pending samples.
///
/// This file holds what runs for every frame (with `FrameHistory`, where the frames are kept);
/// track changes, re-renders, crossfades, loudness and filters are in the extensions.
final class Transcoder {
    static let frameSamples = 960
    static let frameFloats = frameSamples * 2
    /// libopus's look-ahead at 48 kHz: an Ogg stream of our packets has this pre-skip, and a
    /// source's packets can stand in for ours only if theirs is the same.
    static let encoderDelay = 312
    static let maxConsecutiveErrors = 100
    /// Track marks kept, newest last: a filter change may make frames of the track before again.
    static let keptMarks = 16

    let source: String
    let history: FrameHistory
    /// Lavalink's filters between the pending samples and the frames (`Transcoder+Filters`).
    let filterStage: FilterStage
    /// The crossfade between queued tracks, in `pending` before frames are cut (`Transcoder+Crossfade`).
    let crossfade = CrossfadeStage()
    /// Loudness normalisation and its limiter, applied with the gain (`Transcoder+Loudness`).
    let loudness = LoudnessStage()
    /// The limiter's gain the last frame rendered ended at.
    var limiterGain: Float = 1
    /// A skip's fade-out: frames rendered since it began (nil: none). Frame *k* ends at
    /// cos(π/2 · k / `fadeOutFrames`), ramped across it, then silence.
    var fadeOutRendered: Int?
    static let fadeOutFrames = 12
    /// Gain the next frame ramps to (1 = unity); the caller sets it from the player's controls.
    var targetGain: Float = 1
    /// Whether the frames may be the source's own packets when nothing else touches them.
    var allowsPassthrough = true
    /// Ring sequence number of the next frame made.
    var nextSequence = 0
    /// Stream timestamp (samples) of a track's first sample; see `trimCount`.
    var timelineOffset: Int64?
    /// Packets skipped as corrupt; consecutive ones fail the track.
    private(set) var skippedPackets = 0
    var consecutiveErrors = 0

    let encoder: OpaquePointer
    let work: UnsafeMutablePointer<Float>
    let discard: UnsafeMutablePointer<UInt8>
    var encoderSequence: Int?
    /// The gain the last frame rendered ended at.
    var gain: Float = 1
    /// Samples of silence that pad the stream's last frame, once `finish` has made it.
    var finalPadding = Transcoder.encoderDelay
    /// `finish` was called: the stream's audio is complete.
    var streamEnded = false

    var codec: UnsafeMutablePointer<AVCodecContext>?
    let decoded: UnsafeMutablePointer<AVFrame>
    var timeBase = AVRational(num: 1, den: 48_000)
    var resampler: OpaquePointer?
    var resamplerRate: Int32 = 0
    var resamplerLayout = AVChannelLayout()
    let planar = PlanarConversion()
    var preSkip: Int64 = 0

    var pending: UnsafeMutablePointer<Float>
    /// 4 s; more (`growPending`) once a crossfade holds a track's tail back.
    var pendingCapacity = 48_000 * 4
    /// Stream sample index of `pending[0]`, of the next sample to frame, and past the last.
    var pendingBase: Int64 = 0
    var consumed: Int64 = 0
    var produced: Int64 = 0
    var marks: [Mark] = []
    var trimBefore: Int64?
    var held = [Held(), Held()]
    private let heldBytes: UnsafeMutablePointer<UInt8>

    init(source: String, settings: Settings, historyCapacity: Int) throws(EngineError) {
        self.source = source
        var status: Int32 = 0
        guard let encoder = opus_encoder_create(48_000, 2, OPUS_APPLICATION_AUDIO, &status), status == OPUS_OK,
            let decoded = av_frame_alloc()
        else {
            throw .encoderFailed(message: "opus_encoder_create: \(String(cString: opus_strerror(status)))")
        }
        self.encoder = encoder
        self.decoded = decoded
        _ = cadence_opus_set_bitrate(encoder, settings.bitrate)
        _ = cadence_opus_set_vbr(encoder, 1)
        _ = cadence_opus_set_complexity(encoder, max(0, min(10, settings.complexity)))
        _ = cadence_opus_set_signal_music(encoder)
        history = FrameHistory(capacity: historyCapacity)
        // Dry samples for twice the frames the ring and a batch hold: enough to make every
        // waiting frame again under a timescale of up to 2× speed × rate.
        filterStage = FilterStage(retentionFrames: historyCapacity * Self.frameSamples * 2)
        work = .allocate(capacity: Self.frameFloats)
        discard = .allocate(capacity: FrameBatch.maxPacket)
        pending = .allocate(capacity: pendingCapacity * 2)
        heldBytes = .allocate(capacity: 2 * FrameHistory.packetCapacity)
        marks.reserveCapacity(Self.keptMarks + 1)
    }

    deinit {
        closeTrack()
        opus_encoder_destroy(encoder)
        var frame: UnsafeMutablePointer<AVFrame>? = decoded
        av_frame_free(&frame)
        av_channel_layout_uninit(&resamplerLayout)
        work.deallocate()
        discard.deallocate()
        pending.deallocate()
        heldBytes.deallocate()
    }

    // MARK: Packets

    /// Decodes one packet (nil drains the decoder) and makes every frame that is complete.
    func feed(_ packet: UnsafePointer<AVPacket>?, into batch: FrameBatch) throws(EngineError) {
        guard let codec else { return }
        if let packet { hold(packet) }
        let sent = avcodec_send_packet(codec, packet)
        if sent < 0, sent != cadence_averror_eof() {
            guard sent != cadence_averror_eagain() else { return }
            try countError(sent)
            return
        }
        while true {
            let received = avcodec_receive_frame(codec, decoded)
            if received == cadence_averror_eagain() || received == cadence_averror_eof() { break }
            if received < 0 {
                try countError(received)
                break
            }
            consecutiveErrors = 0
            defer { av_frame_unref(decoded) }
            try resample(decoded)
        }
        assemble(into: batch)
    }

    /// Frames left pending because the batch was full.
    var hasCompleteFrames: Bool {
        filterStage.active ? filteredWorkLeft : framableEnd - consumed >= Int64(Self.frameSamples)
    }

    private func countError(_ code: Int32) throws(EngineError) {
        consecutiveErrors += 1
        skippedPackets += 1
        if consecutiveErrors >= Self.maxConsecutiveErrors {
            throw .decoderFailed(source: source, message: "\(consecutiveErrors) packets in a row failed: \(avErrorString(code))")
        }
    }

    /// Keeps a whole-frame Opus packet of a track that could pass through, indexed by the
    /// frame of the track it stands for.
    private func hold(_ packet: UnsafePointer<AVPacket>) {
        guard let mark = marks.last, mark.passthrough, allowsPassthrough, let data = packet.pointee.data,
            packet.pointee.size > 0, packet.pointee.size <= Int32(FrameHistory.packetCapacity),
            opus_packet_get_nb_samples(data, packet.pointee.size, 48_000) == Int32(Self.frameSamples),
            packet.pointee.pts != cadence_av_nopts_value()
        else { return }
        let start = av_rescale_q(packet.pointee.pts, timeBase, AVRational(num: 1, den: 48_000)) + preSkip
        let index = (start + Int64(Self.frameSamples / 2)).dividedFloor(by: Int64(Self.frameSamples))
        let slot = held[0].index < held[1].index ? 0 : 1
        held[slot] = Held(index: index, track: mark.track, generation: mark.generation, length: Int(packet.pointee.size))
        UnsafeMutableRawPointer(heldBytes + slot * FrameHistory.packetCapacity)
            .copyMemory(from: data, byteCount: Int(packet.pointee.size))
    }

    private func resample(_ frame: UnsafeMutablePointer<AVFrame>) throws(EngineError) {
        try configureResampler(for: frame)
        let needed = Int(swr_get_out_samples(resampler, frame.pointee.nb_samples))
        reserve(needed)
        let start = Int(produced - pendingBase)
        var out: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(pending + start * 2).assumingMemoryBound(to: UInt8.self)
        let input = try planar.planes(of: frame, layout: &resamplerLayout)
        let count = swr_convert(resampler, &out, Int32(pendingCapacity - start), input, frame.pointee.nb_samples)
        guard count >= 0 else { throw .encoderFailed(message: "swr_convert: \(avErrorString(count))") }
        var skip = trimCount(frame)
        skip = min(skip, Int(count))
        if skip > 0, skip < Int(count) {
            (pending + start * 2).update(from: pending + (start + skip) * 2, count: (Int(count) - skip) * 2)
        }
        if Int(count) > skip {
            loudness.measure(pending + start * 2, frames: Int(count) - skip)
            produced += Int64(mixIncoming(at: start, frames: Int(count) - skip))
        }
    }

    /// Makes room for `frames` more samples, moving what is pending to the front when the
    /// room left is short (a crossfade holds seconds pending; moving them per packet would cost).
    func reserve(_ frames: Int) {
        let start = Int(consumed - pendingBase)
        guard start > 0 else { return }
        let live = Int(produced - consumed)
        guard live <= 48_000 || pendingCapacity - start - live < frames + 48_000 else { return }
        if live > 0 { pending.update(from: pending + start * 2, count: live * 2) }
        pendingBase = consumed
    }

    // MARK: Frames

    /// Makes every complete pending frame, as many as the batch holds: through the filters
    /// while any is on, else straight from the pending samples.
    func assemble(into batch: FrameBatch) {
        if filterStage.active {
            assembleFiltered(into: batch)
            // The filters turned off and the stream is back on the frame grid: go on direct.
            if filterStage.active { return }
        }
        assembleDirect(into: batch)
    }

    private func assembleDirect(into batch: FrameBatch) {
        while framableEnd - consumed >= Int64(Self.frameSamples), !batch.isFull, let mark = mark(at: consumed) {
            let first = consumed
            let straddles = marks.contains { $0.index > first && $0.index < first + Int64(Self.frameSamples) }
            let trackSample = mark.trackSample + (first - mark.index)
            let pcm = pending + Int(first - pendingBase) * 2
            var packet: UnsafeRawBufferPointer?
            if mark.passthrough, !straddles, trackSample % Int64(Self.frameSamples) == 0 {
                let index = trackSample / Int64(Self.frameSamples)
                for slot in 0..<2
                where held[slot].index == index && held[slot].track == mark.track
                    && held[slot].generation == mark.generation
                {
                    packet = UnsafeRawBufferPointer(
                        start: heldBytes + slot * FrameHistory.packetCapacity,
                        count: held[slot].length)
                }
            }
            let sequence = nextSequence
            nextSequence += 1
            history.store(
                FrameHistory.Entry(
                    sequence: sequence, track: mark.track, positionMs: trackSample / 48,
                    generation: mark.generation, source: first,
                    loudnessDB: loudness.cutGainDB(track: mark.track),
                    overlap: inOverlap(first)),
                samples: pcm, packet: packet)
            filterStage.retention?.append(pcm, frames: Self.frameSamples)
            render(sequence, into: batch)
            consumed += Int64(Self.frameSamples)
            trimMarks()
        }
    }

    func mark(at index: Int64) -> Mark? { marks.last { $0.index <= index } ?? marks.first }

    func trimMarks() {
        if marks.count > Self.keptMarks { marks.removeFirst(marks.count - Self.keptMarks) }
    }

    /// Turns the kept frame `sequence` into the packet the ring gets: the source's own when
    /// nothing touches the samples, else gain and libopus.
    func render(_ sequence: Int, into batch: FrameBatch) {
        guard let entry = history.entry(sequence) else { return }
        let packet = history.packet(sequence)
        var target =
            targetGain
            * loudness.linearGain(
                track: entry.track, cutGainDB: entry.loudnessDB,
                canPassThrough: allowsPassthrough && packet.count > 0)
        if let faded = fadeOutRendered {
            let step = min(faded + 1, Self.fadeOutFrames)
            target *= step == Self.fadeOutFrames ? 0 : Float(cos(Double.pi / 2 * Double(step) / Double(Self.fadeOutFrames)))
            fadeOutRendered = faded + 1
        }
        if allowsPassthrough, packet.count > 0, target == 1, gain == 1 {
            batch.nextStorage.update(from: packet.baseAddress!.assumingMemoryBound(to: UInt8.self), count: packet.count)
            batch.commit(
                length: packet.count, positionMs: entry.positionMs, track: entry.track,
                generation: entry.generation, sequence: sequence)
            history.setGains(sequence, start: 1, end: 1)
            history.setLimiter(sequence, start: 1, end: 1)
            limiterGain = 1
            encoderSequence = nil
            return
        }
        if encoderSequence != sequence - 1 { primeEncoder(before: sequence, generation: entry.generation) }
        let start = gain
        let limiting = loudness.rule != nil || entry.overlap
        applyGain(history.samples(sequence), from: start, to: target, clipping: !limiting)
        gain = target
        if limiting {
            let limiter = loudness.limiter
            let limiterStart = limiterGain
            limiterGain = limiter.process(work, frames: Self.frameSamples, startGain: limiterStart)
            history.setLimiter(sequence, start: limiterStart, end: limiterGain)
        } else {
            limiterGain = 1
            history.setLimiter(sequence, start: 1, end: 1)
        }
        let length = opus_encode_float(
            encoder, work, Int32(Self.frameSamples), batch.nextStorage,
            Int32(FrameBatch.maxPacket))
        history.setGains(sequence, start: start, end: target)
        encoderSequence = sequence
        // A frame libopus refuses is sent as silence rather than failing the track.
        if length > 0 {
            batch.commit(
                length: Int(length), positionMs: entry.positionMs, track: entry.track,
                generation: entry.generation, sequence: sequence)
        } else {
            batch.nextStorage.update(from: opusSilenceFrame, count: opusSilenceFrame.count)
            batch.commit(
                length: 3, positionMs: entry.positionMs, track: entry.track, generation: entry.generation,
                sequence: sequence)
        }
    }

    /// `work` = `pcm` with the gain ramped linearly across the frame (20 ms, so no click),
    /// clipped at full scale unless a limiter follows.
    func applyGain(_ pcm: UnsafePointer<Float>, from start: Float, to end: Float, clipping: Bool = true) {
        if start == 1, end == 1 {
            work.update(from: pcm, count: Self.frameFloats)
            return
        }
        let step = (end - start) / Float(Self.frameSamples)
        let limit: Float = clipping ? 1 : .greatestFiniteMagnitude
        for i in 0..<Self.frameSamples {
            let g = start + step * Float(i + 1)
            work[2 * i] = min(limit, max(-limit, pcm[2 * i] * g))
            work[2 * i + 1] = min(limit, max(-limit, pcm[2 * i + 1] * g))
        }
    }
}

// MARK: The frames made

/// What the transcoder made for every frame still in the ring, keyed by the frame's ring
/// sequence number: the 960 stereo samples after the filters and before the gain, the gain
/// ramp the frame was rendered with, where in the dry sample stream the frame begins, and the
/// source's own Opus packet when the frame could pass through.
///
/// It is what makes "re-render from here" possible: when a setting changes, the frames the
/// pacer has not sent yet are rendered again from these samples instead of being played out
/// under the old settings, and the two frames before the cut prime a fresh encoder so the
/// stream stays continuous. Storage is allocated once; only the decoder thread touches it.
final class FrameHistory {
    struct Entry {
        var sequence = -1
        var track: UInt32 = 0
        var positionMs: Int64 = 0
        var generation: UInt32 = 0
        var gainStart: Float = 1
        var gainEnd: Float = 1
        /// Stream sample index (48 kHz, before any filter) where the frame's audio begins: under
        /// timescale a frame spans more or fewer source samples than it holds.
        var source: Int64 = 0
        /// Bytes of the source's packet, 0 when the frame has none (it must be encoded).
        var packetLength = 0
        /// The track's running normalisation gain when the frame was cut, dB (`LoudnessStage`).
        var loudnessDB: Float = 0
        /// The limiter's gain at the frame's start and end as it was last rendered (1 = idle).
        var limiterStart: Float = 1
        var limiterEnd: Float = 1
        /// The frame lies in a crossfade's overlap: it goes through the limiter.
        var overlap = false
    }

    static let packetCapacity = 1_276
    let capacity: Int
    private var entries: [Entry]
    private let samples: UnsafeMutablePointer<Float>
    private let packets: UnsafeMutablePointer<UInt8>

    /// `capacity` must cover the ring and the frames a render batch holds.
    init(capacity: Int) {
        self.capacity = capacity
        entries = Array(repeating: Entry(), count: capacity)
        samples = .allocate(capacity: capacity * Transcoder.frameFloats)
        packets = .allocate(capacity: capacity * Self.packetCapacity)
    }

    deinit {
        samples.deallocate()
        packets.deallocate()
    }

    /// Keeps frame `entry.sequence`: its pre-gain samples and, if any, the source packet.
    func store(_ entry: Entry, samples pcm: UnsafePointer<Float>, packet: UnsafeRawBufferPointer?) {
        let slot = entry.sequence % capacity
        var entry = entry
        (samples + slot * Transcoder.frameFloats).update(from: pcm, count: Transcoder.frameFloats)
        if let packet, let base = packet.baseAddress, packet.count <= Self.packetCapacity {
            UnsafeMutableRawPointer(packets + slot * Self.packetCapacity).copyMemory(from: base, byteCount: packet.count)
            entry.packetLength = packet.count
        } else {
            entry.packetLength = 0
        }
        entries[slot] = entry
    }

    /// The entry for `sequence`, if it is still kept.
    func entry(_ sequence: Int) -> Entry? {
        guard sequence >= 0 else { return nil }
        let entry = entries[sequence % capacity]
        return entry.sequence == sequence ? entry : nil
    }

    /// Records the gains a frame was rendered with (again), for the next re-render.
    func setGains(_ sequence: Int, start: Float, end: Float) {
        let slot = sequence % capacity
        guard entries[slot].sequence == sequence else { return }
        entries[slot].gainStart = start
        entries[slot].gainEnd = end
    }

    /// Records the limiter's gains a frame was rendered with (again).
    func setLimiter(_ sequence: Int, start: Float, end: Float) {
        let slot = sequence % capacity
        guard entries[slot].sequence == sequence else { return }
        entries[slot].limiterStart = start
        entries[slot].limiterEnd = end
    }

    func samples(_ sequence: Int) -> UnsafePointer<Float> {
        UnsafePointer(samples + (sequence % capacity) * Transcoder.frameFloats)
    }

    func packet(_ sequence: Int) -> UnsafeRawBufferPointer {
        let slot = sequence % capacity
        return UnsafeRawBufferPointer(start: packets + slot * Self.packetCapacity, count: entries[slot].packetLength)
    }
}

extension Int64 {
    fileprivate func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
