/// Collects resampled stereo samples into 20 ms frames (960 per channel) and applies volume.
///
/// The gain moves linearly from the last frame's gain to the requested one across a single
/// frame, so volume changes never click. Storage is allocated once.
struct FrameAssembler: ~Copyable {
    static let frameSamples = 960
    static let frameFloats = frameSamples * 2
    private let buffer: UnsafeMutablePointer<Float>
    private let capacity = 48_000 * 2 * 2  // 2 s of stereo, far more than any decoded frame
    private var count = 0
    private var gain: Float = 1

    init() { buffer = .allocate(capacity: capacity) }
    deinit { buffer.deallocate() }

    var bufferedFrames: Int { count / Self.frameFloats }

    /// Appends `frames` stereo samples, skipping the first `skip` of them (seek trimming).
    mutating func append(_ samples: UnsafePointer<Float>, frames: Int, skip: Int = 0) {
        let skip = min(skip, frames)
        var floats = (frames - skip) * 2
        if count + floats > capacity { floats = capacity - count }  // cannot happen with sane input
        (buffer + count).update(from: samples + skip * 2, count: floats)
        count += floats
    }

    /// Takes the next full frame, with volume ramped towards `targetGain`, into `body`.
    /// With `flush`, a last partial frame is padded with silence.
    mutating func takeFrame(targetGain: Float, flush: Bool = false, _ body: (UnsafePointer<Float>) -> Void) -> Bool {
        if count < Self.frameFloats {
            guard flush, count > 0 else { return false }
            (buffer + count).update(repeating: 0, count: Self.frameFloats - count)
            count = Self.frameFloats
        }
        applyGain(targetGain)
        body(buffer)
        count -= Self.frameFloats
        if count > 0 { buffer.update(from: buffer + Self.frameFloats, count: count) }
        return true
    }

    /// Forgets buffered samples (after a seek).
    mutating func reset() { count = 0 }

    private mutating func applyGain(_ target: Float) {
        let start = gain
        if start == 1, target == 1 { return }
        let step = (target - start) / Float(Self.frameSamples)
        for i in 0..<Self.frameSamples {
            let g = start + step * Float(i + 1)
            buffer[2 * i] = min(1, max(-1, buffer[2 * i] * g))
            buffer[2 * i + 1] = min(1, max(-1, buffer[2 * i + 1] * g))
        }
        gain = target
    }
}
