import CFFmpeg

/// A track's place in the transcoder's one stream: where its samples start, how a seek or a
/// reopen moves it, and how the stream ends with exactly the audio's length.
extension Transcoder {
    struct Settings: Sendable {
        var bitrate: Int32 = 128_000
        var complexity: Int32 = 10
    }

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
}

extension Transcoder {
    /// Starts decoding `input` as track `ordinal` at `startSample` (48 kHz) of it. Its samples
    /// follow whatever is pending from the track before.
    /// `trims`: the input was seeked to `startSample`, so what decodes before it is dropped.
    /// `reopening`: the same track again after a fault, whose timeline offset still holds.
    func beginTrack(
        _ input: MediaInput, ordinal: UInt32, startSample: Int64, generation: UInt32,
        trims: Bool, reopening: Bool = false
    ) throws(EngineError) {
        avcodec_free_context(&codec)
        let parameters = input.codecParameters
        guard let decoder = avcodec_find_decoder(parameters.pointee.codec_id) else {
            throw .unsupportedFormat(source: input.source, message: "no decoder for this codec")
        }
        codec = avcodec_alloc_context3(decoder)
        var status = avcodec_parameters_to_context(codec, parameters)
        // With the stream's time base libavcodec shifts timestamps past the samples it drops
        // as priming, so positions after a seek agree with positions counted from the start.
        codec?.pointee.pkt_timebase = input.timeBase
        if status >= 0 { status = avcodec_open2(codec, decoder, nil) }
        guard status >= 0 else {
            avcodec_free_context(&codec)
            throw .libav(status, source: input.source, opening: true)
        }
        settleCarriedResampler(reopening: reopening, trims: trims)
        timeBase = input.timeBase
        preSkip = Int64(parameters.pointee.initial_padding)
        consecutiveErrors = 0
        let opus =
            parameters.pointee.codec_id == AV_CODEC_ID_OPUS && parameters.pointee.sample_rate == 48_000
            && parameters.pointee.ch_layout.nb_channels <= 2 && preSkip == Int64(Self.encoderDelay)
        if !reopening { timelineOffset = startSample > 0 ? 0 : nil }
        trimBefore = trims ? startSample : nil
        if !reopening, let overlapStart = crossfadeStart() {
            // Mixed into the tail of the track before: no frame of the overlap can pass through.
            addMark(
                Mark(
                    index: overlapStart, track: ordinal, trackSample: startSample, generation: generation,
                    passthrough: false))
            if opus {
                addMark(
                    Mark(
                        index: produced, track: ordinal, trackSample: startSample + (produced - overlapStart),
                        generation: generation, passthrough: true))
            }
        } else {
            addMark(Mark(index: produced, track: ordinal, trackSample: startSample, generation: generation, passthrough: opus))
        }
    }

    /// Moves the current track to `sample`: what is pending or inside the codecs is dropped.
    func seek(toSample sample: Int64, generation: UInt32) {
        if let codec { avcodec_flush_buffers(codec) }
        let current = marks.last
        // Frees the resampler too: what it holds is from before the seek.
        dropPending()
        trimBefore = sample
        if let current {
            addMark(
                Mark(
                    index: produced, track: current.track, trackSample: sample, generation: generation,
                    passthrough: current.passthrough))
        }
    }

    /// The input ended: drains the decoder; the partial last frame stays pending for the next
    /// track (or `finish`). Without a crossfade the resampler stays open: a next track of the
    /// same rate and layout goes on through it, so its samples continue the phase of this
    /// one's as if the two were one signal (resampled piece by piece, each boundary would
    /// round to a whole 48 kHz sample and the pieces drift from the uncut signal). A
    /// crossfade's tail is measured now, so it drains the resampler at once.
    func endTrack(into batch: FrameBatch) throws(EngineError) {
        try feed(nil, into: batch)
        avcodec_free_context(&codec)
        if case .idle = crossfade.state {} else { drainResampler() }
        assemble(into: batch)
    }

    /// Drains what the resampler still holds into the pending samples, and closes it.
    func drainResampler() {
        guard let resampler else { return }
        reserve(8_192)
        var out: UnsafeMutablePointer<UInt8>? = UnsafeMutableRawPointer(pending + Int(produced - pendingBase) * 2)
            .assumingMemoryBound(to: UInt8.self)
        let count = swr_convert(resampler, &out, 8_192, nil, 0)
        if count > 0 {
            let start = Int(produced - pendingBase)
            loudness.measure(pending + start * 2, frames: Int(count))
            produced += Int64(mixIncoming(at: start, frames: Int(count)))
        }
        freeResampler()
    }

    func freeResampler() { swr_free(&resampler) }

    /// A new track begins while the last one's resampler is still open. It goes on through it
    /// when the codec's rate and layout are the same (any sample format: `PlanarConversion`); otherwise the last track's tail is drained first, so it
    /// stays that track's. A reopen after a fault starts clean: what the resampler holds was
    /// decoded past the point the reopened input resumes from.
    private func settleCarriedResampler(reopening: Bool, trims: Bool) {
        guard resampler != nil, let codec else { return }
        if reopening { return freeResampler() }
        if trims || !resamplerFits(rate: codec.pointee.sample_rate, layout: &codec.pointee.ch_layout) { drainResampler() }
    }

    /// End of the stream: the last partial frame is padded with silence and made, plus one
    /// more silent frame if the padding would not cover the encoder's look-ahead (the audio
    /// still inside libopus would be lost). `finalPadding` is then the samples of padding at
    /// the end of the last frame, for sinks that record exact lengths. Through the filters the
    /// tail is made by `assemble` as the batch empties (`hasCompleteFrames` stays true).
    func finish(into batch: FrameBatch) {
        streamEnded = true
        cancelCrossfade()
        drainResampler()
        guard marks.last != nil else {
            finalPadding = Self.encoderDelay
            return
        }
        batch.removeAll()
        if filterStage.active {
            filterStage.finishing = true
            assemble(into: batch)
            return
        }
        let partial = Int(produced - consumed)
        var padding = (Self.frameSamples - partial % Self.frameSamples) % Self.frameSamples
        if padding < Self.encoderDelay { padding += Self.frameSamples }
        reserve(padding)
        (pending + Int(produced - pendingBase) * 2).update(repeating: 0, count: padding * 2)
        produced += Int64(padding)
        assemble(into: batch)
        finalPadding = padding
    }

    /// Forgets everything pending (a new stream after a stop, or a replaced track).
    func dropPending() {
        freeResampler()
        crossfade.state = .idle
        crossfade.afterMixing = .idle
        pendingBase = produced
        consumed = produced
        marks.removeAll(keepingCapacity: true)
        held[0].index = -1
        held[1].index = -1
        resetFilterStage()
    }

    /// Before a reopen after a fault: drops the current track's samples not yet framed and
    /// returns the track sample to resume at, so the reopened input continues exactly there.
    func discardTrackPending() -> Int64 {
        guard let mark = marks.last else { return 0 }
        if mark.index <= consumed {
            produced = consumed
            return mark.trackSample + (consumed - mark.index)
        }
        produced = mark.index
        marks.removeLast()
        return mark.trackSample
    }

    func closeTrack() {
        avcodec_free_context(&codec)
        freeResampler()
    }

    private func addMark(_ mark: Mark) {
        if let last = marks.last, last.index == mark.index { marks.removeLast() }
        marks.append(mark)
    }
}
