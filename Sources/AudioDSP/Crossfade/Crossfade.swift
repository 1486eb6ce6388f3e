import Foundation

/// An equal-power crossfade from an outgoing to an incoming track over `durationFrames`:
/// gains cos(πt/2D) and sin(πt/2D), computed per sample (no zipper steps), summed in float.
///
/// Run a ``TruePeakLimiter`` on the sum: two correlated loud passages can add past full scale.
/// After the duration the incoming track passes at unity. Allocation-free.
public struct Crossfade: Sendable {
    public let durationFrames: Int
    /// Frames mixed so far.
    public private(set) var position = 0

    public init(durationFrames: Int) { self.durationFrames = max(1, durationFrames) }

    public var isFinished: Bool { position >= durationFrames }

    /// The two gains at `progress` 0…1 of the fade.
    public static func gains(progress: Double) -> (outgoing: Float, incoming: Float) {
        if progress >= 1 { return (0, 1) }
        let x = max(0, progress) * Double.pi / 2
        return (Float(cos(x)), Float(sin(x)))
    }

    /// Mixes `frames` interleaved stereo frames of both tracks into `output` (which may be either input).
    public mutating func mix(
        outgoing: UnsafePointer<Float>, incoming: UnsafePointer<Float>,
        into output: UnsafeMutablePointer<Float>, frames: Int
    ) {
        for frame in 0..<frames {
            let (a, b) = Self.gains(progress: Double(position) / Double(durationFrames))
            output[2 * frame] = outgoing[2 * frame] * a + incoming[2 * frame] * b
            output[2 * frame + 1] = outgoing[2 * frame + 1] * a + incoming[2 * frame + 1] * b
            position += 1
        }
    }
}

/// The short fade-out of a skip or stop: a quarter cosine to silence over `durationFrames`
/// (250 ms at 48 kHz by default), in place; after it, silence.
public struct FadeOut: Sendable {
    public let durationFrames: Int
    public private(set) var position = 0

    public init(durationFrames: Int = 12_000) { self.durationFrames = max(1, durationFrames) }

    public var isFinished: Bool { position >= durationFrames }

    public mutating func apply(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        for frame in 0..<frames {
            let g = Crossfade.gains(progress: Double(position) / Double(durationFrames)).outgoing
            samples[2 * frame] *= g
            samples[2 * frame + 1] *= g
            position += 1
        }
    }
}

/// Finding where a track's audible content ends, so a crossfade never fades into silence.
public enum SilenceTrim {
    /// −50 dBFS: below it, a tail counts as silence.
    public static let defaultThresholdDBFS = -50.0

    /// The number of leading frames of `samples` (interleaved stereo) that end with the last
    /// sample above `thresholdDBFS` in either channel; 0 when all of it is silence.
    public static func audibleFrames(
        _ samples: UnsafePointer<Float>, frames: Int,
        thresholdDBFS: Double = defaultThresholdDBFS
    ) -> Int {
        let threshold = Float(pow(10, thresholdDBFS / 20))
        var frame = frames
        while frame > 0, abs(samples[2 * frame - 2]) < threshold, abs(samples[2 * frame - 1]) < threshold { frame -= 1 }
        return frame
    }
}
