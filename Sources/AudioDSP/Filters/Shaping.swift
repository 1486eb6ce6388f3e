import Foundation

/// lowPass: the one-pole smoother `y += (x − y) / smoothing` per channel (lavadsp), with the
/// smoothing factor gliding on changes and a dry/wet glide on and off.
struct LowPass {
    private var yL: Float = 0, yR: Float = 0
    private var coefficient = Ramp(1)
    private var wet = Ramp(0)

    var isActive: Bool { wet.value != 0 || !wet.isSteady }

    mutating func configure(smoothing: Float, ramp: Int) {
        guard smoothing > 1 else {
            wet.set(0, over: ramp)
            return
        }
        let wasSilent = !isActive
        if wasSilent {
            yL = 0
            yR = 0
        }
        coefficient.set(1 / smoothing, over: wasSilent ? 0 : ramp)
        wet.set(1, over: ramp)
    }

    mutating func reset() {
        yL = 0
        yR = 0
        coefficient.snap()
        wet.snap()
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        for frame in 0..<frames {
            let k = coefficient.next(), w = wet.next()
            let l = samples[2 * frame], r = samples[2 * frame + 1]
            yL += (l - yL) * k
            yR += (r - yR) * k
            samples[2 * frame] = l + w * (yL - l)
            samples[2 * frame + 1] = r + w * (yR - r)
        }
        if abs(yL) < 1e-20 { yL = 0 }
        if abs(yR) < 1e-20 { yR = 0 }
    }
}

/// channelMix: L' = L·ll + R·rl, R' = L·lr + R·rr; the four coefficients glide on a change.
struct ChannelMix {
    private var ll = Ramp(1), lr = Ramp(0), rl = Ramp(0), rr = Ramp(1)

    var isActive: Bool {
        !(ll.isSteady && lr.isSteady && rl.isSteady && rr.isSteady
            && ll.value == 1 && lr.value == 0 && rl.value == 0 && rr.value == 1)
    }

    mutating func configure(_ m: [Float], ramp: Int) {
        ll.set(m[0], over: ramp)
        lr.set(m[1], over: ramp)
        rl.set(m[2], over: ramp)
        rr.set(m[3], over: ramp)
    }

    mutating func reset() {
        ll.snap()
        lr.snap()
        rl.snap()
        rr.snap()
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        for frame in 0..<frames {
            let l = samples[2 * frame], r = samples[2 * frame + 1]
            samples[2 * frame] = l * ll.next() + r * rl.next()
            samples[2 * frame + 1] = l * lr.next() + r * rr.next()
        }
    }
}

/// distortion: lavadsp's waveshaper with all three functions on,
/// `clamp(offset + scale·(sinOffset + sin(x·sinScale))·(cosOffset + cos(x·cosScale))·(tanOffset + tan(x·tanScale)), ±1)`.
/// The eight parameters glide; on and off cross-fade dry and wet.
struct Distortion {
    private var parameters: [Ramp] = ResolvedFilters.distortionDefaults.map { Ramp($0) }
    private var wet = Ramp(0)

    var isActive: Bool { wet.value != 0 || !wet.isSteady }

    mutating func configure(_ values: [Float]?, ramp: Int) {
        guard let values else {
            wet.set(0, over: ramp)
            return
        }
        let wasSilent = !isActive
        for i in 0..<8 { parameters[i].set(values[i], over: wasSilent ? 0 : ramp) }
        wet.set(1, over: ramp)
    }

    mutating func reset() {
        for i in 0..<8 { parameters[i].snap() }
        wet.snap()
    }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        for frame in 0..<frames {
            let sinOffset = parameters[0].next(), sinScale = parameters[1].next()
            let cosOffset = parameters[2].next(), cosScale = parameters[3].next()
            let tanOffset = parameters[4].next(), tanScale = parameters[5].next()
            let offset = parameters[6].next(), scale = parameters[7].next()
            let w = wet.next()
            for channel in 0..<2 {
                let x = samples[2 * frame + channel]
                let shaped =
                    offset + scale * (sinOffset + sin(x * sinScale)) * (cosOffset + cos(x * cosScale))
                    * (tanOffset + tan(x * tanScale))
                samples[2 * frame + channel] = x + w * (min(1, max(-1, shaped)) - x)
            }
        }
    }
}

/// volume: a gliding linear gain (0…5), not clamped here (the encoder or limiter clamps).
struct Volume {
    private var gain = Ramp(1)

    var isActive: Bool { !(gain.isSteady && gain.value == 1) }

    mutating func configure(_ volume: Float, ramp: Int) { gain.set(volume, over: ramp) }

    mutating func reset() { gain.snap() }

    mutating func process(_ samples: UnsafeMutablePointer<Float>, frames: Int) {
        guard isActive else { return }
        for frame in 0..<frames {
            let g = gain.next()
            samples[2 * frame] *= g
            samples[2 * frame + 1] *= g
        }
    }
}
