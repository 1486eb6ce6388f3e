import Foundation

/// lavadsp's karaoke: removes what both channels share and adds back a band of the mono sum,
/// `L' = L − level·R + y`, `R' = R − level·L + y`, where y is a two-pole resonator at
/// `filterBand` (bandwidth `filterWidth`) on (L+R)/2 times `monoLevel·level`.
///
/// Switching it on or off cross-fades dry and wet over the ramp, so neither clicks.
struct Karaoke {
    private let sampleRate: Double
    private var a: Float = 0, b: Float = 0, c: Float = 0
    private var y1: Float = 0, y2: Float = 0
    private var level = Ramp(1), monoLevel = Ramp(1)
    private var wet = Ramp(0)

    init(sampleRate: Double) { self.sampleRate = sampleRate }

    var isActive: Bool { wet.value != 0 || !wet.isSteady }

    mutating func configure(_ settings: (level: Float, monoLevel: Float, band: Float, width: Float)?, ramp: Int) {
        guard let settings else {
            wet.set(0, over: ramp)
            return
        }
        let wasSilent = !isActive
        if wasSilent {
            y1 = 0
            y2 = 0
        }
        let C = exp(-2 * Double.pi * Double(settings.width) / sampleRate)
        let B = -4 * C / (1 + C) * cos(2 * Double.pi * Double(settings.band) / sampleRate)
        let A = (max(0, 1 - B * B / (4 * C))).squareRoot() * (1 - C)
        a = Float(A)
        b = Float(B)
        c = Float(C)
        level.set(settings.level, over: wasSilent ? 0 : ramp)
        monoLevel.set(settings.monoLevel, over: wasSilent ? 0 : ramp)
        wet.set(1, over: ramp)
    }

    mutating func reset() {
        y1 = 0
        y2 = 0
        level.snap()
        monoLevel.snap()
        wet.snap()
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        for frame in 0..<frames {
            let l = samples[2 * frame], r = samples[2 * frame + 1]
            let k = level.next(), m = monoLevel.next(), w = wet.next()
            let y = a * ((l + r) * 0.5) - b * y1 - c * y2
            y2 = y1
            y1 = y
            let o = y * m * k
            samples[2 * frame] = l + w * ((l - r * k + o) - l)
            samples[2 * frame + 1] = r + w * ((r - l * k + o) - r)
        }
        if abs(y1) < 1e-20 { y1 = 0 }
        if abs(y2) < 1e-20 { y2 = 0 }
    }
}
