import CSoundTouch

/// timescale through libsoundtouch, as lavadsp does: `speed` → tempo (WSOLA), `pitch` →
/// pitch, `rate` → both (resampling). SoundTouch keeps its own buffers; they grow during the
/// first seconds and are then reused, so the steady state allocates nothing.
final class Timescale {
    private let handle: UnsafeMutableRawPointer

    init(sampleRate: Double) {
        handle = soundtouch_createInstance()
        _ = soundtouch_setChannels(handle, 2)
        _ = soundtouch_setSampleRate(handle, UInt32(sampleRate.rounded()))
    }

    deinit { soundtouch_destroyInstance(handle) }

    func set(speed: Double, pitch: Double, rate: Double) {
        soundtouch_setTempo(handle, Float(speed))
        soundtouch_setPitch(handle, Float(pitch))
        soundtouch_setRate(handle, Float(rate))
    }

    func put(_ samples: UnsafePointer<Float>, frames: Int) {
        guard frames > 0 else { return }
        _ = soundtouch_putSamples(handle, samples, UInt32(frames))
    }

    /// Moves up to `maxFrames` processed frames into `output`; returns how many.
    func receive(into output: UnsafeMutablePointer<Float>, maxFrames: Int) -> Int {
        guard maxFrames > 0 else { return 0 }
        return Int(soundtouch_receiveSamples(handle, output, UInt32(maxFrames)))
    }

    /// Processed frames ready to receive.
    var availableFrames: Int { Int(soundtouch_numSamples(handle)) }

    /// Input frames taken but not yet turned into output.
    var unprocessedFrames: Int { Int(soundtouch_numUnprocessedSamples(handle)) }

    /// Pushes the tail through (end of track or leaving timescale); SoundTouch trims its padding.
    func flush() { _ = soundtouch_flush(handle) }

    func clear() { soundtouch_clear(handle) }
}
