import Foundation

/// The track-gain rule: bring integrated loudness to the target, boost at most `maxBoostDB`,
/// and keep true peak at or below the ceiling, either by lowering the gain (``PeakProtection/clamp``)
/// or by leaving that to a ``TruePeakLimiter`` after the gain (``PeakProtection/limiter``).
public struct LoudnessNormalization: Equatable, Sendable {
    /// Targets a user may choose, in LUFS.
    public static let targetRange: ClosedRange<Double> = -23 ... -10

    public enum PeakProtection: Equatable, Sendable {
        /// The gain itself keeps `truePeak + gain ≤ ceiling` (no limiter runs).
        case clamp
        /// The gain ignores peaks; a ``TruePeakLimiter`` at the ceiling runs after it.
        case limiter
    }

    public let targetLUFS: Double
    public var maxBoostDB = 9.0
    public var truePeakCeilingDBTP = -1.0
    public var peakProtection = PeakProtection.limiter

    /// −14 LUFS unless told otherwise; throws for a target outside ``targetRange``.
    public init(targetLUFS: Double = -14, peakProtection: PeakProtection = .limiter) throws(LoudnessError) {
        guard Self.targetRange.contains(targetLUFS) else { throw .targetOutOfRange(lufs: targetLUFS) }
        self.targetLUFS = targetLUFS
        self.peakProtection = peakProtection
    }

    /// The gain in dB for a track measured at `integratedLUFS` with `truePeakDBTP`; 0 for
    /// silence (no measurable loudness).
    public func gainDB(integratedLUFS: Double?, truePeakDBTP: Double) -> Double {
        guard let integratedLUFS, integratedLUFS.isFinite else { return 0 }
        var gain = min(targetLUFS - integratedLUFS, maxBoostDB)
        if peakProtection == .clamp, truePeakDBTP.isFinite { gain = min(gain, truePeakCeilingDBTP - truePeakDBTP) }
        return gain
    }

    /// dB → linear amplitude.
    public static func linear(_ db: Double) -> Float { Float(pow(10, db / 20)) }
}
