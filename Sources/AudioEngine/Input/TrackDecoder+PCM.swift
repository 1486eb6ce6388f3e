import CFFmpeg

/// The decode path: libavcodec → libswresample → 20 ms frames with volume → libopus.
extension TrackDecoder {
    func decode(_ packet: UnsafePointer<AVPacket>?, input: MediaInput) throws(EngineError) {
        if decoder == nil {
            decoder = try AudioDecoder(parameters: input.codecParameters, timeBase: input.timeBase, source: source.location)
        }
        if encoder == nil { encoder = try OpusEncoder(settings: encoderSettings) }
        let before = decoder!.skippedPackets
        try decoder!.decode(packet) { (frame) throws(EngineError) in
            let skip = samplesToTrim(frame, input: input)
            try resampler.convert(frame) { samples, count in
                assembler.append(samples, frames: count, skip: skip)
            }
            try emitFrames(flush: false)
        }
        let skipped = decoder!.skippedPackets - before
        if skipped > 0 { control.skippedPackets.add(skipped, ordering: .relaxed) }
    }

    /// End of input: drain the decoder and send the last partial frame padded with silence.
    func drain(input: MediaInput) throws(EngineError) {
        guard decoder != nil else { return }
        try decode(nil, input: input)
        try emitFrames(flush: true)
    }

    private func emitFrames(flush: Bool) throws(EngineError) {
        guard let encoder else { return }
        var failure: EngineError?
        while failure == nil, !control.isCancelled, !control.seekPending,
              assembler.takeFrame(targetGain: control.gain, flush: flush, { pcm in
                  do throws(EngineError) {
                      try encoder.encode(pcm) { push($0, positionMs: nextPositionMs) }
                  } catch {
                      failure = error
                  }
                  nextPositionMs += 20
              })
        {}
        if let failure { throw failure }
    }

    /// After a seek, the number of 48 kHz samples of `frame` that lie before the target.
    private func samplesToTrim(_ frame: UnsafeMutablePointer<AVFrame>, input: MediaInput) -> Int {
        let stamp = input.milliseconds(frame.pointee.best_effort_timestamp)
        if timelineOffsetMs == nil {
            // The first frame played from the very start: codecs that drop priming samples
            // (MP3's encoder delay, AAC's) stamp it a little after 0, while positions count
            // from the first sample heard. Remember the difference for later seeks.
            timelineOffsetMs = trimBeforeMs == nil && nextPositionMs == 0 ? max(0, stamp ?? 0) : 0
        }
        guard let trim = trimBeforeMs else { return 0 }
        trimBeforeMs = nil
        guard let stamp, case let start = stamp - (timelineOffsetMs ?? 0), start < trim else {
            return 0
        }
        // Everything before the target in this and later frames is dropped sample-accurately:
        // frames wholly before it are trimmed whole, and the remainder carries over.
        let samples = Int(trim - start) * 48
        let available = Int(frame.pointee.nb_samples) * 48_000 / Int(max(1, frame.pointee.sample_rate))
        if samples > available { trimBeforeMs = trim; return Int.max }
        return samples
    }
}
