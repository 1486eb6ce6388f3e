/// Measurements a listener would make of decoded audio: pitch, loudness, and where in a
/// reference signal a stretch of audio came from.
public enum ToneAnalysis {
    /// The fundamental frequency of a clean tone, from interpolated upward zero crossings.
    /// Precise to a fraction of a hertz over a second or more of signal.
    public static func frequency(_ samples: [Float], sampleRate: Double) -> Double? {
        var crossings: [Double] = []
        for i in 1..<max(1, samples.count) where samples[i - 1] < 0 && samples[i] >= 0 {
            let fraction = Double(-samples[i - 1] / (samples[i] - samples[i - 1]))
            crossings.append(Double(i - 1) + fraction)
        }
        guard crossings.count >= 3, let first = crossings.first, let last = crossings.last else { return nil }
        return Double(crossings.count - 1) * sampleRate / (last - first)
    }

    /// Root-mean-square level.
    public static func rms(_ samples: ArraySlice<Float>) -> Double {
        guard !samples.isEmpty else { return 0 }
        return (samples.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(samples.count)).squareRoot()
    }

    /// The offset (in samples) within `reference` where `excerpt` matches best, searching
    /// `range`, by normalised cross-correlation.
    public static func bestOffset(of excerpt: ArraySlice<Float>, in reference: [Float], range: Range<Int>) -> Int {
        var best = range.lowerBound, bestScore = -Double.infinity
        let excerpt = Array(excerpt)
        for offset in range where offset >= 0 && offset + excerpt.count <= reference.count {
            var dot = 0.0, energy = 0.0
            for i in 0..<excerpt.count {
                let r = Double(reference[offset + i])
                dot += Double(excerpt[i]) * r
                energy += r * r
            }
            let score = energy > 0 ? dot / energy.squareRoot() : 0
            if score > bestScore {
                bestScore = score
                best = offset
            }
        }
        return best
    }
}
