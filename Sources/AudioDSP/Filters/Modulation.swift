import Foundation

/// Tremolo: gain = (1 − d/2) + (d/2)·sin(2πft), swinging over [1 − d, 1] (lavadsp's tremolo).
/// The phase runs on across changes; depth glides, so on, off and changes never click.
struct Tremolo {
    private let sampleRate: Double
    private var phase = 0.0, increment = 0.0
    private var depth = Ramp(0)

    init(sampleRate: Double) { self.sampleRate = sampleRate }

    var isActive: Bool { depth.value != 0 || !depth.isSteady }

    mutating func configure(_ settings: (frequency: Float, depth: Float)?, ramp: Int) {
        if !isActive { phase = 0 }
        if let settings { increment = 2 * Double.pi * Double(settings.frequency) / sampleRate }
        depth.set(settings?.depth ?? 0, over: ramp)
    }

    mutating func reset() {
        phase = 0
        depth.snap()
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        for frame in 0..<frames {
            let d = depth.next()
            let gain = (1 - d / 2) + (d / 2) * Float(sin(phase))
            phase += increment
            if phase > 2 * Double.pi { phase -= 2 * Double.pi }
            samples[2 * frame] *= gain
            samples[2 * frame + 1] *= gain
        }
    }
}

/// Vibrato as lavadsp builds it: a delay line read at `3 + depth·lfo·2 ms` samples, with the
/// LFO (sin + 1)/2 at `frequency` Hz and 4-point Hermite interpolation. Its 3-sample base delay
/// is why switching it on or off cross-fades dry and wet instead of jumping.
struct Vibrato: ~Copyable {
    private static let additionalDelay: Float = 3
    private static let margin = 3
    private let sampleRate: Double
    private let size: Int
    private let maxDelay: Float
    private let lines: UnsafeMutablePointer<Float>  // two lines of size + margin
    private var writeIndex = 0
    private var phase = 0.0, increment = 0.0
    private var depth = Ramp(0.5)
    private var wet = Ramp(0)

    init(sampleRate: Double) {
        self.sampleRate = sampleRate
        size = Int(0.002 * sampleRate * 2)
        maxDelay = Float(Int(0.002 * sampleRate))
        lines = .allocate(capacity: 2 * (size + Self.margin))
        lines.initialize(repeating: 0, count: 2 * (size + Self.margin))
    }

    deinit { lines.deallocate() }

    var isActive: Bool { wet.value != 0 || !wet.isSteady }

    mutating func configure(_ settings: (frequency: Float, depth: Float)?, ramp: Int) {
        guard let settings else {
            wet.set(0, over: ramp)
            return
        }
        let wasSilent = !isActive
        if wasSilent {
            clearLines()
            phase = 0
        }
        increment = 2 * Double.pi * Double(settings.frequency) / sampleRate
        depth.set(settings.depth, over: wasSilent ? 0 : ramp)
        wet.set(1, over: ramp)
    }

    mutating func reset() {
        clearLines()
        phase = 0
        depth.snap()
        wet.snap()
    }

    private mutating func clearLines() {
        lines.update(repeating: 0, count: 2 * (size + Self.margin))
        writeIndex = 0
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        let stride = size + Self.margin
        for frame in 0..<frames {
            let lfo = Float((sin(phase) + 1) * 0.5)
            phase += increment
            if phase > 2 * Double.pi { phase -= 2 * Double.pi }
            let delay = lfo * depth.next() * maxDelay + Self.additionalDelay
            let w = wet.next()
            var read = Float(writeIndex - 1) - delay
            while read < 0 { read += Float(size) }
            while read >= Float(size) { read -= Float(size) }
            let index = Int(read), fraction = read - Float(index)
            for channel in 0..<2 {
                let line = lines + channel * stride
                let dry = samples[2 * frame + channel]
                let delayed = Self.hermite(fraction, line + index)
                line[writeIndex] = dry
                if writeIndex < Self.margin { line[size + writeIndex] = dry }
                samples[2 * frame + channel] = dry + w * (delayed - dry)
            }
            writeIndex += 1
            if writeIndex == size { writeIndex = 0 }
        }
    }

    /// 4-point, 3rd-order Hermite interpolation between y[1] and y[2].
    @inline(__always)
    private static func hermite(_ x: Float, _ y: UnsafeMutablePointer<Float>) -> Float {
        let c1 = 0.5 * (y[2] - y[0])
        let c2 = y[0] - 2.5 * y[1] + 2 * y[2] - 0.5 * y[3]
        let c3 = 0.5 * (y[3] - y[0]) + 1.5 * (y[1] - y[2])
        return ((c3 * x + c2) * x + c1) * x + y[1]
    }
}

/// Rotation ("8D"): L·(1 + sin x)/2 and R·(1 − sin x)/2, x advancing 2π·rotationHz per second.
struct Rotation {
    private let sampleRate: Double
    private var phase = 0.0, increment = 0.0
    private var wet = Ramp(0)

    init(sampleRate: Double) { self.sampleRate = sampleRate }

    var isActive: Bool { wet.value != 0 || !wet.isSteady }

    mutating func configure(hz: Double, ramp: Int) {
        if !isActive { phase = 0 }
        if hz != 0 { increment = 2 * Double.pi * hz / sampleRate }
        wet.set(hz != 0 ? 1 : 0, over: ramp)
    }

    mutating func reset() {
        phase = 0
        wet.snap()
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        for frame in 0..<frames {
            let s = Float(sin(phase))
            phase += increment
            if phase > 2 * Double.pi { phase -= 2 * Double.pi } else if phase < 0 { phase += 2 * Double.pi }
            let w = wet.next()
            samples[2 * frame] *= 1 + w * ((1 + s) / 2 - 1)
            samples[2 * frame + 1] *= 1 + w * ((1 - s) / 2 - 1)
        }
    }
}
