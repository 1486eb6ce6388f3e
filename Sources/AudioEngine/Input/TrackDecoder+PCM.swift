import CFFmpeg

/// The decode path: libavcodec → libswresample → 20 ms frames with volume → libopus.
extension TrackDecoder {
    func decode(_ packet: UnsafePointer<AVPacket>?, input: MediaInput) throws(EngineError) {
        if decoder == nil {
            decoder = try AudioDecoder(parameters: input.codecParameters, source: source)
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
        guard let trim = trimBeforeMs else { return 0 }
        trimBeforeMs = nil
        guard let start = input.milliseconds(frame.pointee.best_effort_timestamp), start < trim else {
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
