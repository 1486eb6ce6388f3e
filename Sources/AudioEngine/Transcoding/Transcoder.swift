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
final class Transcoder {
    struct Settings: Sendable {
        var bitrate: Int32 = 128_000
        var complexity: Int32 = 10
    }

    static let frameSamples = 960
    static let frameFloats = frameSamples * 2
    /// libopus's look-ahead at 48 kHz: an Ogg stream of our packets has this pre-skip, and a
    /// source's packets can stand in for ours only if theirs is the same.
    static let encoderDelay = 312
    static let maxConsecutiveErrors = 100
    /// Track marks kept, newest last: a filter change may make frames of the track before again.
    static let keptMarks = 16

    /// Where a track's samples begin in the stream, and what frames starting there may be.
    struct Mark {
        var index: Int64
        var track: UInt32
        var trackSample: Int64
        var generation: UInt32
        var passthrough: Bool
    }

    /// A source packet held until the samples of its frame are complete (one packet later,
    /// because the decoder's output lags the packets by the encoder delay).
    struct Held {
        var index: Int64 = -1
        var track: UInt32 = 0
        var generation: UInt32 = 0
        var length = 0
    }

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

    private let encoder: OpaquePointer
    private let work: UnsafeMutablePointer<Float>
    private let discard: UnsafeMutablePointer<UInt8>
    private var encoderSequence: Int?
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

    /// Renders frames `sequence..<end` again from the history, under the current settings,
    /// as many as the batch holds; returns the sequence of the first frame not yet rendered.
    func rerender(from sequence: Int, to end: Int, into batch: FrameBatch) -> Int {
        if let before = history.entry(sequence - 1) {
            gain = before.gainEnd
            limiterGain = before.limiterEnd
        }
        var next = sequence
        while next < end, !batch.isFull, history.entry(next) != nil {
            render(next, into: batch)
            next += 1
        }
        return next
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

    /// The encoder did not make the frame before `sequence` (it passed through, or is being
    /// rendered again): a fresh encoder is fed the two frames before it as they were heard,
    /// so its look-ahead and history continue the listener's stream without a seam.
    private func primeEncoder(before sequence: Int, generation: UInt32) {
        _ = cadence_opus_reset_encoder(encoder)
        for earlier in (sequence - 2)..<sequence {
            guard let entry = history.entry(earlier), entry.generation == generation else { continue }
            let limiting = entry.limiterStart != 1 || entry.limiterEnd != 1
            applyGain(history.samples(earlier), from: entry.gainStart, to: entry.gainEnd, clipping: !limiting)
            if limiting { loudness.limiter.process(work, frames: Self.frameSamples, startGain: entry.limiterStart) }
            _ = opus_encode_float(encoder, work, Int32(Self.frameSamples), discard, Int32(FrameBatch.maxPacket))
        }
    }

    /// `work` = `pcm` with the gain ramped linearly across the frame (20 ms, so no click),
    /// clipped at full scale unless a limiter follows.
    private func applyGain(_ pcm: UnsafePointer<Float>, from start: Float, to end: Float, clipping: Bool = true) {
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

extension Int64 {
    fileprivate func dividedFloor(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
