import Foundation

/// A zero-latency peak limiter for interleaved stereo blocks, for a stream that is rendered
/// block by block and sometimes rendered again from a block in the middle.
///
/// ``TruePeakLimiter`` delays its output by its look-ahead, which a stream that switches it on
/// and off mid-track (passthrough, a setting turned on) cannot absorb without repeating or
/// skipping those samples. This one looks ahead only inside the block it is given, so output
/// sample *n* is input sample *n*; its whole state is the gain it ended on, which the caller
/// keeps per block to render a block again exactly. Peaks are estimated between samples too
/// (cubic interpolation at ¼, ½, ¾); the estimate misses part of bright material's
/// inter-sample peaks, so true peak can end up to about 0.5 dB over the ceiling (pink noise
/// limited by 7 dB: 0.48 dB over): aim the ceiling that much low. The gain falls linearly over `attack`
/// before a peak and recovers exponentially with `release`; a peak in a block's first samples
/// after a louder block pulls the gain down at once (the only place it can step). Samples
/// under the ceiling with the gain at 1 pass bit for bit. In place; allocates only at init;
/// one thread at a time.
public final class BlockLimiter {
    public let ceilingDBTP: Double
    public let maxFrames: Int
    private let ceiling: Float
    private let attackStep: Float
    private let release: Float
    private let envelope: UnsafeMutablePointer<Float>

    public init(
        ceilingDBTP: Double = -1.5, maxFrames: Int = 960, sampleRate: Double = 48_000,
        attackSeconds: Double = 0.001, releaseSeconds: Double = 0.1
    ) {
        self.ceilingDBTP = ceilingDBTP
        self.maxFrames = maxFrames
        ceiling = Float(pow(10, ceilingDBTP / 20))
        attackStep = Float(1 / max(1, attackSeconds * sampleRate))
        release = Float(1 - exp(-1 / (releaseSeconds * sampleRate)))
        envelope = .allocate(capacity: maxFrames)
        envelope.initialize(repeating: 1, count: maxFrames)
    }

    deinit { envelope.deallocate() }

    /// Limits `frames` (≤ `maxFrames`) interleaved stereo frames in place, starting from the
    /// gain the block before ended on (1 for none), and returns the gain this block ends on.
    @discardableResult
    public func process(_ samples: UnsafeMutablePointer<Float>, frames: Int, startGain: Float) -> Float {
        guard frames > 0 else { return startGain }
        // Gain each frame needs on its own (1 where the estimated peak is under the ceiling).
        var needsLimiting = false
        for frame in 0..<frames {
            let peak = max(
                Self.peak(samples, channel: 0, frame: frame, frames: frames),
                Self.peak(samples, channel: 1, frame: frame, frames: frames))
            let required: Float = peak > ceiling ? ceiling / peak : 1
            envelope[frame] = required
            if required < 1 { needsLimiting = true }
        }
        if !needsLimiting, startGain >= 1 { return 1 }
        // Backwards: the gain may fall only `attackStep` per frame towards a peak.
        var next: Float = 1
        for frame in stride(from: frames - 1, through: 0, by: -1) {
            next = min(envelope[frame], next + attackStep)
            envelope[frame] = next
        }
        // Forwards: from the gain the last block ended on, recover slowly, never above the need.
        var gain = startGain
        for frame in 0..<frames {
            gain = min(envelope[frame], gain + (1 - gain) * release)
            if gain < 1 {
                samples[2 * frame] = min(ceiling, max(-ceiling, samples[2 * frame] * gain))
                samples[2 * frame + 1] = min(ceiling, max(-ceiling, samples[2 * frame + 1] * gain))
            }
        }
        return gain > 0.99999 ? 1 : gain
    }

    /// The largest of the sample and the cubic estimates between it and the next.
    private static func peak(_ samples: UnsafePointer<Float>, channel: Int, frame: Int, frames: Int) -> Float {
        func sample(_ index: Int) -> Float { samples[2 * min(frames - 1, max(0, index)) + channel] }
        let x0 = sample(frame - 1), x1 = sample(frame), x2 = sample(frame + 1), x3 = sample(frame + 2)
        // Catmull-Rom between x1 and x2, at a quarter, a half and three quarters.
        let b = -x0 + x2, c = 2 * x0 - 5 * x1 + 4 * x2 - x3, d = -x0 + 3 * x1 - 3 * x2 + x3
        func at(_ t: Float) -> Float { abs(0.5 * (2 * x1 + t * (b + t * (c + t * d)))) }
        return max(abs(x1), at(0.25), at(0.5), at(0.75))
    }
}
