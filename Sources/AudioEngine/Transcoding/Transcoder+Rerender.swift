import COpus

/// Frames made again from the history when a setting changes under frames still in the ring,
/// and the encoder primed with the frames before one it did not make.
extension Transcoder {
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

    /// The encoder did not make the frame before `sequence` (it passed through, or is being
    /// rendered again): a fresh encoder is fed the two frames before it as they were heard,
    /// so its look-ahead and history continue the listener's stream without a seam.
    func primeEncoder(before sequence: Int, generation: UInt32) {
        _ = cadence_opus_reset_encoder(encoder)
        for earlier in (sequence - 2)..<sequence {
            guard let entry = history.entry(earlier), entry.generation == generation else { continue }
            let limiting = entry.limiterStart != 1 || entry.limiterEnd != 1
            applyGain(history.samples(earlier), from: entry.gainStart, to: entry.gainEnd, clipping: !limiting)
            if limiting { loudness.limiter.process(work, frames: Self.frameSamples, startGain: entry.limiterStart) }
            _ = opus_encode_float(encoder, work, Int32(Self.frameSamples), discard, Int32(FrameBatch.maxPacket))
        }
    }
}
