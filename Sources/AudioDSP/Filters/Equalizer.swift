import Foundation

/// lavaplayer's 15-band equalizer: a parallel bank of two-pole band-pass filters whose
/// weighted outputs are added to the dry signal, `out = clamp(4·(x/4 + Σ gᵢ·bpᵢ(x)), ±1)`.
///
/// The coefficients are those of lavaplayer's 48 kHz table, computed here rather than copied:
/// each band is 2/3 octave wide, with its −3 dB points at f₀·2^(∓1/3), unity gain at f₀ (so a
/// gain of 0.25 doubles the band and −0.25 removes it). At other sample rates the same design
/// is evaluated at that rate. State lives in one preallocated block.
struct Equalizer: ~Copyable {
    static let bandFrequencies: [Double] = [25, 40, 63, 100, 160, 250, 400, 630, 1000, 1600, 2500, 4000, 6300, 10000, 16000]
    static let bandCount = 15

    private var alpha = [Float](repeating: 0, count: bandCount)
    private var beta = [Float](repeating: 0, count: bandCount)
    private var gamma = [Float](repeating: 0, count: bandCount)
    private var gains: [Ramp] = Array(repeating: Ramp(0), count: bandCount)
    /// Per channel and band: x[n−1], x[n−2], y[n−1], y[n−2].
    private let history: UnsafeMutablePointer<Float>
    private var active = false

    init(sampleRate: Double) {
        history = .allocate(capacity: 2 * Self.bandCount * 4)
        history.initialize(repeating: 0, count: 2 * Self.bandCount * 4)
        for (band, f0) in Self.bandFrequencies.enumerated() {
            let (a, b, g) = Self.coefficients(centre: f0, sampleRate: sampleRate)
            alpha[band] = Float(a)
            beta[band] = Float(b)
            gamma[band] = Float(g)
        }
    }

    deinit { history.deallocate() }

    /// The band-pass `y = α(x − x₂) + γy₁ − βy₂` with α = (1 − β)/2 and γ = (1 + β)·cos ω₀, whose
    /// β puts the response at 1/√2 at f₀·2^(−1/3) (found by bisection, once).
    static func coefficients(centre f0: Double, sampleRate: Double) -> (alpha: Double, beta: Double, gamma: Double) {
        let w0 = 2 * Double.pi * min(f0, sampleRate * 0.49) / sampleRate
        let w1 = w0 / pow(2, 1.0 / 3)
        func magnitude(_ beta: Double) -> Double {
            let a = (1 - beta) / 2, g = (1 + beta) * cos(w0)
            // |a(1 − z⁻²)| / |1 − g z⁻¹ + β z⁻²| at z = e^{jω₁}
            let numRe = a * (1 - cos(2 * w1)), numIm = a * sin(2 * w1)
            let denRe = 1 - g * cos(w1) + beta * cos(2 * w1), denIm = g * sin(w1) - beta * sin(2 * w1)
            return ((numRe * numRe + numIm * numIm) / (denRe * denRe + denIm * denIm)).squareRoot()
        }
        // Wider band (smaller β) lets more through at ω₁; the magnitude falls as β grows.
        var low = 0.0, high = 1.0 - 1e-12
        for _ in 0..<200 {
            let mid = (low + high) / 2
            if magnitude(mid) > 0.5.squareRoot() { low = mid } else { high = mid }
        }
        let beta = (low + high) / 2
        return ((1 - beta) / 2, beta, (1 + beta) * cos(w0))
    }

    var isActive: Bool { active }

    mutating func configure(_ target: [Float], ramp: Int) {
        let wanted = target.contains { $0 != 0 }
        if wanted, !active {
            history.update(repeating: 0, count: 2 * Self.bandCount * 4)
            active = true
        }
        for band in 0..<Self.bandCount { gains[band].set(target[band], over: active ? ramp : 0) }
    }

    mutating func reset() {
        history.update(repeating: 0, count: 2 * Self.bandCount * 4)
        for band in 0..<Self.bandCount { gains[band].snap() }
        active = gains.contains { $0.target != 0 }
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard active else { return }
        for frame in 0..<frames {
            var outL = samples[2 * frame] * 0.25, outR = samples[2 * frame + 1] * 0.25
            let xL = samples[2 * frame], xR = samples[2 * frame + 1]
            for band in 0..<Self.bandCount {
                let gain = gains[band].next()
                let a = alpha[band], b = beta[band], g = gamma[band]
                let hL = history + band * 4, hR = history + (Self.bandCount + band) * 4
                let yL = a * (xL - hL[1]) + g * hL[2] - b * hL[3]
                hL[1] = hL[0]
                hL[0] = xL
                hL[3] = hL[2]
                hL[2] = yL
                let yR = a * (xR - hR[1]) + g * hR[2] - b * hR[3]
                hR[1] = hR[0]
                hR[0] = xR
                hR[3] = hR[2]
                hR[2] = yR
                outL += yL * gain
                outR += yR * gain
            }
            samples[2 * frame] = min(1, max(-1, outL * 4))
            samples[2 * frame + 1] = min(1, max(-1, outR * 4))
        }
        // Decaying IIR state would otherwise sink into denormals, which x86 computes slowly.
        for i in 0..<(2 * Self.bandCount * 4) where abs(history[i]) < 1e-20 { history[i] = 0 }
        if gains.allSatisfy({ $0.isSteady && $0.value == 0 }) { active = false }
    }
}
