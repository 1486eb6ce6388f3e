import Foundation

extension ToneAnalysis {
    /// Amplitudes of tones of known frequencies in `samples`, fitted jointly by least squares
    /// (a cos + b sin per tone), so two tones close together do not leak into each other as
    /// they would in a short FFT or Goertzel window.
    public static func toneAmplitudes(_ samples: ArraySlice<Float>, frequencies: [Double], sampleRate: Double) -> [Double] {
        let n = 2 * frequencies.count
        var normal = [Double](repeating: 0, count: n * n), rhs = [Double](repeating: 0, count: n)
        var basis = [Double](repeating: 0, count: n)
        for (i, sample) in samples.enumerated() {
            let t = Double(i) / sampleRate
            for (k, f) in frequencies.enumerated() {
                basis[2 * k] = cos(2 * .pi * f * t)
                basis[2 * k + 1] = sin(2 * .pi * f * t)
            }
            for r in 0..<n {
                rhs[r] += basis[r] * Double(sample)
                for c in 0..<n { normal[r * n + c] += basis[r] * basis[c] }
            }
        }
        // Gaussian elimination with partial pivoting on the small normal equations.
        for col in 0..<n {
            let pivot = (col..<n).max { abs(normal[$0 * n + col]) < abs(normal[$1 * n + col]) }!
            if pivot != col {
                for c in 0..<n { normal.swapAt(col * n + c, pivot * n + c) }
                rhs.swapAt(col, pivot)
            }
            for r in (col + 1)..<n {
                let factor = normal[r * n + col] / normal[col * n + col]
                for c in col..<n { normal[r * n + c] -= factor * normal[col * n + c] }
                rhs[r] -= factor * rhs[col]
            }
        }
        var solution = [Double](repeating: 0, count: n)
        for r in stride(from: n - 1, through: 0, by: -1) {
            var value = rhs[r]
            for c in (r + 1)..<n { value -= normal[r * n + c] * solution[c] }
            solution[r] = value / normal[r * n + r]
        }
        return frequencies.indices.map { (solution[2 * $0] * solution[2 * $0] + solution[2 * $0 + 1] * solution[2 * $0 + 1]).squareRoot() }
    }

    /// Amplitude ratio in dB.
    public static func decibels(_ ratio: Double) -> Double { 20 * log10(ratio) }
}
