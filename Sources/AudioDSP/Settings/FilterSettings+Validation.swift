extension FilterSettings {
    /// Checks every set field against Lavalink's ranges; the first violation is thrown.
    public func validate() throws(FilterError) {
        if let volume { try Check.range("volume", volume, 0...5, "must be between 0 and 5") }
        for (index, band) in (equalizer ?? []).enumerated() {
            try Check.range("equalizer[\(index)].band", Float(band.band), 0...14, "must be between 0 and 14")
            try Check.range("equalizer[\(index)].gain", band.gain, -0.25...1, "must be between -0.25 and 1")
        }
        if let karaoke {
            for (name, value) in [
                ("level", karaoke.level), ("monoLevel", karaoke.monoLevel),
                ("filterBand", karaoke.filterBand), ("filterWidth", karaoke.filterWidth)
            ] {
                if let value { try Check.finite("karaoke.\(name)", value) }
            }
            if let width = karaoke.filterWidth { try Check.above("karaoke.filterWidth", width, 0) }
            if let band = karaoke.filterBand { try Check.range("karaoke.filterBand", band, 0...24_000, "must be between 0 and 24000") }
        }
        if let timescale {
            for (name, value) in [("speed", timescale.speed), ("pitch", timescale.pitch), ("rate", timescale.rate)] {
                if let value { try Check.above("timescale.\(name)", Float(value), 0) }
            }
        }
        if let tremolo {
            if let frequency = tremolo.frequency { try Check.above("tremolo.frequency", frequency, 0) }
            if let depth = tremolo.depth { try Check.depth("tremolo.depth", depth) }
        }
        if let vibrato {
            if let frequency = vibrato.frequency {
                try Check.above("vibrato.frequency", frequency, 0)
                try Check.range("vibrato.frequency", frequency, 0...14, "must be at most 14")
            }
            if let depth = vibrato.depth { try Check.depth("vibrato.depth", depth) }
        }
        if let hz = rotation?.rotationHz { try Check.finite("rotation.rotationHz", Float(hz)) }
        if let distortion {
            let fields: [(String, Float?)] = [
                ("sinOffset", distortion.sinOffset), ("sinScale", distortion.sinScale),
                ("cosOffset", distortion.cosOffset), ("cosScale", distortion.cosScale),
                ("tanOffset", distortion.tanOffset), ("tanScale", distortion.tanScale),
                ("offset", distortion.offset), ("scale", distortion.scale)
            ]
            for case let (name, value?) in fields { try Check.finite("distortion.\(name)", value) }
        }
        if let mix = channelMix {
            let fields: [(String, Float?)] = [
                ("leftToLeft", mix.leftToLeft), ("leftToRight", mix.leftToRight),
                ("rightToLeft", mix.rightToLeft), ("rightToRight", mix.rightToRight)
            ]
            for case let (name, value?) in fields {
                try Check.range("channelMix.\(name)", value, 0...1, "must be between 0 and 1")
            }
        }
        if let smoothing = lowPass?.smoothing { try Check.finite("lowPass.smoothing", smoothing) }
    }

    /// True when these settings would leave every sample as it is (no filter set, or each set
    /// one at its neutral value), so the engine may pass Opus through untouched.
    public var isIdentity: Bool { ResolvedFilters(self).isIdentity }
}

private enum Check {
    static func finite(_ field: String, _ value: Float) throws(FilterError) {
        guard value.isFinite else { throw .notFinite(field: field) }
    }

    static func range(_ field: String, _ value: Float, _ range: ClosedRange<Float>, _ rule: String) throws(FilterError) {
        try finite(field, value)
        guard range.contains(value) else { throw .outOfRange(field: field, value: Double(value), rule: rule) }
    }

    static func above(_ field: String, _ value: Float, _ bound: Float) throws(FilterError) {
        try finite(field, value)
        guard value > bound else {
            throw .outOfRange(field: field, value: Double(value), rule: "must be greater than \(Int(bound))")
        }
    }

    static func depth(_ field: String, _ value: Float) throws(FilterError) {
        try finite(field, value)
        guard value > 0, value <= 1 else {
            throw .outOfRange(field: field, value: Double(value), rule: "must be greater than 0 and at most 1")
        }
    }
}
