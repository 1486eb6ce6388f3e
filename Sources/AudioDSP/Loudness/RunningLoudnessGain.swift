import Foundation

/// Loudness gain for audio whose integrated loudness is not known yet, applied in place.
///
/// - ``Mode/firstPlay``: the first play of an unmeasured track. The gain follows the
///   gain rule on the integrated loudness measured so far, moving at most 1 dB/s, until
///   ``freeze(gainDB:)`` (the whole track has been measured) fixes its destination.
/// - ``Mode/live``: a live stream, which never ends. The gain follows the mean energy of the
///   last 10 s of momentary (400 ms) loudness, at most 0.5 dB/s; blocks below −50 LUFS are left
///   out, so silence between songs holds the gain instead of pumping up the noise floor.
///
/// The gain moves per sample (no steps). Measuring and applying allocate nothing.
public final class RunningLoudnessGain {
    /// What the audio is: a track played for the first time, or a stream that never ends.
    public enum Mode: Equatable, Sendable { case firstPlay, live }

    public let mode: Mode
    public let rule: LoudnessNormalization
    /// The gain being applied now, in dB.
    public private(set) var currentGainDB: Double
    /// Where the gain is heading, in dB.
    public private(set) var targetGainDB: Double
    /// True once ``freeze(gainDB:)`` fixed the target.
    public private(set) var isFrozen = false

    private let meter: LoudnessMeter
    private let sampleRate: Double
    private let slewDBPerFrame: Double
    private let estimateInterval: Int
    private var sinceEstimate = 0

    private static let liveBlocks = 100  // 10 s of 100 ms blocks
    private static let liveSilenceLUFS = -50.0
    private let liveEnergies: UnsafeMutablePointer<Double>
    private var liveIndex = 0, liveCount = 0
    private var liveSum = 0.0

    public init(
        rule: LoudnessNormalization, mode: Mode = .firstPlay, sampleRate: Double = 48_000,
        initialGainDB: Double = 0
    ) throws(LoudnessError) {
        self.rule = rule
        self.mode = mode
        self.sampleRate = sampleRate
        meter = try LoudnessMeter(sampleRate: sampleRate)
        liveEnergies = .allocate(capacity: Self.liveBlocks)
        liveEnergies.initialize(repeating: 0, count: Self.liveBlocks)
        currentGainDB = initialGainDB
        targetGainDB = initialGainDB
        slewDBPerFrame = (mode == .live ? 0.5 : 1.0) / sampleRate
        estimateInterval = Int(sampleRate / 10)
    }

    deinit { liveEnergies.deallocate() }

    /// Gated integrated loudness of everything measured (until the freeze), LUFS; nil before a
    /// gating block passed, or for silence. With ``measuredTruePeakDBTP``, what a caller stores
    /// once a first play has measured the whole track.
    public var measuredLUFS: Double? { meter.integratedLUFS }

    /// True peak of everything measured (until the freeze), dBTP.
    public var measuredTruePeakDBTP: Double { meter.truePeakDBTP }

    /// Fixes the destination (from the complete measurement); the gain still glides there at the slew limit.
    public func freeze(gainDB: Double) {
        targetGainDB = gainDB
        isFrozen = true
    }

    /// Measures `frames` interleaved stereo frames (before gain) and applies the running gain in place.
    public func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        var done = 0
        while done < frames {
            let run = min(frames - done, estimateInterval - sinceEstimate)
            let block = samples + done * 2
            if !isFrozen { meter.add(block, frames: run) }
            applyGain(block, frames: run)
            sinceEstimate += run
            done += run
            if sinceEstimate == estimateInterval {
                sinceEstimate = 0
                if !isFrozen { reestimate() }
            }
        }
    }

    private func reestimate() {
        switch mode {
        case .firstPlay:
            if let integrated = meter.integratedLUFS {
                targetGainDB = rule.gainDB(integratedLUFS: integrated, truePeakDBTP: meter.truePeakDBTP)
            }
        case .live:
            guard let momentary = meter.momentaryLUFS, momentary > Self.liveSilenceLUFS else { return }
            let energy = pow(10, momentary / 10)
            liveSum += energy - liveEnergies[liveIndex]
            liveEnergies[liveIndex] = energy
            liveIndex = (liveIndex + 1) % Self.liveBlocks
            liveCount = min(liveCount + 1, Self.liveBlocks)
            // Wait for 3 s of programme before steering at all.
            if liveCount >= 30 {
                let level = 10 * log10(max(liveSum, 1e-30) / Double(liveCount))
                targetGainDB = rule.gainDB(integratedLUFS: level, truePeakDBTP: -.infinity)
            }
        }
    }

    /// Moves the gain towards the target by at most the slew per frame, interpolating the
    /// linear gain across the block so there is no step.
    private func applyGain(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard frames > 0 else { return }
        let startDB = currentGainDB
        let maxMove = slewDBPerFrame * Double(frames)
        let endDB = startDB + max(-maxMove, min(maxMove, targetGainDB - startDB))
        currentGainDB = endDB
        let start = LoudnessNormalization.linear(startDB), end = LoudnessNormalization.linear(endDB)
        if start == 1, end == 1 { return }
        let step = (end - start) / Float(frames)
        for frame in 0..<frames {
            let g = start + step * Float(frame + 1)
            samples[2 * frame] *= g
            samples[2 * frame + 1] *= g
        }
    }
}
