import Foundation

/// A look-ahead limiter that keeps the true (inter-sample) peak of interleaved stereo at or
/// below a ceiling in dBTP.
///
/// Peaks are found on 4× oversampled audio (a 32-tap Blackman-windowed sinc per phase, flat to
/// about 19 kHz at 48 kHz).
/// The gain each frame needs is held as a minimum over the look-ahead, then averaged over it,
/// so it is down before the peak arrives and never steps; it recovers with `release`.
/// The output is the input delayed by ``latencyFrames`` (fixed). Both channels share one gain,
/// so the stereo image does not wander. In place; allocates only at init.
public final class TruePeakLimiter {
    public let ceilingDBTP: Double
    /// How far output lags input, in frames: the look-ahead plus the interpolator's centre.
    public let latencyFrames: Int

    private static let taps = 32
    private static let phases = 4
    /// Aim a little under the ceiling, for interpolation error and gain motion between samples.
    private static let marginDB = 0.3

    private let ceiling: Float
    private let lookahead: Int
    private let releaseCoefficient: Float
    private let filters: UnsafeMutablePointer<Float>  // (phases − 1) × taps
    private let history: UnsafeMutablePointer<Float>  // 2 × taps, newest last
    private let required: UnsafeMutablePointer<Float>  // ring of lookahead + 2 required gains
    private let held: UnsafeMutablePointer<Float>  // ring of lookahead held minima
    private let delay: UnsafeMutablePointer<Float>  // ring of `latencyFrames` stereo frames
    private var requiredIndex = 0, heldIndex = 0, delayIndex = 0
    private var heldSum = 0.0
    private var gain: Float = 1

    public init(
        ceilingDBTP: Double = -1, sampleRate: Double = 48_000, lookaheadSeconds: Double = 0.0015,
        releaseSeconds: Double = 0.1
    ) {
        self.ceilingDBTP = ceilingDBTP
        ceiling = Float(pow(10, (ceilingDBTP - Self.marginDB) / 20))
        lookahead = max(8, Int((lookaheadSeconds * sampleRate).rounded()))
        latencyFrames = lookahead + Self.taps / 2
        releaseCoefficient = Float(1 - exp(-1 / (releaseSeconds * sampleRate)))
        filters = .allocate(capacity: (Self.phases - 1) * Self.taps)
        history = .allocate(capacity: 2 * Self.taps)
        required = .allocate(capacity: lookahead + 2)
        held = .allocate(capacity: lookahead)
        delay = .allocate(capacity: 2 * latencyFrames)
        for phase in 1..<Self.phases {
            let fraction = Double(phase) / Double(Self.phases)
            for k in 0..<Self.taps {
                // Interpolating between history[taps/2 − 1] and history[taps/2].
                let t = Double(k) - Double(Self.taps / 2 - 1) - fraction
                let sinc = t == 0 ? 1 : sin(Double.pi * t) / (Double.pi * t)
                let x = (Double(k) - fraction + 1) / Double(Self.taps + 1)  // Blackman over the span
                let window = 0.42 - 0.5 * cos(2 * Double.pi * x) + 0.08 * cos(4 * Double.pi * x)
                filters[(phase - 1) * Self.taps + k] = Float(sinc * window)
            }
        }
        history.initialize(repeating: 0, count: 2 * Self.taps)
        required.initialize(repeating: 1, count: lookahead + 2)
        held.initialize(repeating: 1, count: lookahead)
        delay.initialize(repeating: 0, count: 2 * latencyFrames)
        heldSum = Double(lookahead)
    }

    deinit {
        filters.deallocate()
        history.deallocate()
        required.deallocate()
        held.deallocate()
        delay.deallocate()
    }

    /// Forgets all audio (seek, new track): the next output starts with `latencyFrames` of silence.
    public func reset() {
        history.update(repeating: 0, count: 2 * Self.taps)
        required.update(repeating: 1, count: lookahead + 2)
        held.update(repeating: 1, count: lookahead)
        delay.update(repeating: 0, count: 2 * latencyFrames)
        heldSum = Double(lookahead)
        gain = 1
        requiredIndex = 0
        heldIndex = 0
        delayIndex = 0
    }

    /// Limits `frames` interleaved stereo frames in place (delayed by ``latencyFrames``).
    public func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        let taps = Self.taps
        for frame in 0..<frames {
            let left = samples[2 * frame], right = samples[2 * frame + 1]
            // Slide the interpolator histories and find this step's true peak.
            var peak: Float = 0
            for channel in 0..<2 {
                let h = history + channel * taps
                h.update(from: h + 1, count: taps - 1)
                h[taps - 1] = channel == 0 ? left : right
                peak = max(peak, abs(h[taps / 2 - 1]))
                for phase in 0..<(Self.phases - 1) {
                    let f = filters + phase * taps
                    var sum: Float = 0
                    for k in 0..<taps { sum += f[k] * h[k] }
                    peak = max(peak, abs(sum))
                }
            }
            required[requiredIndex] = peak > ceiling ? ceiling / peak : 1
            requiredIndex = (requiredIndex + 1) % (lookahead + 2)
            var minimum: Float = 1
            for i in 0..<(lookahead + 2) { minimum = min(minimum, required[i]) }
            heldSum += Double(minimum) - Double(held[heldIndex])
            held[heldIndex] = minimum
            heldIndex = (heldIndex + 1) % lookahead
            let smoothed = Float(heldSum / Double(lookahead))
            // Fall at once to what the look-ahead asks for, recover slowly.
            gain = smoothed < gain ? smoothed : gain + (smoothed - gain) * releaseCoefficient
            // Delay the audio so the gain meets the samples it was computed for.
            let slot = delay + 2 * delayIndex
            let outLeft = slot[0], outRight = slot[1]
            slot[0] = left
            slot[1] = right
            delayIndex = (delayIndex + 1) % latencyFrames
            samples[2 * frame] = min(ceiling, max(-ceiling, outLeft * gain))
            samples[2 * frame + 1] = min(ceiling, max(-ceiling, outRight * gain))
        }
    }
}
