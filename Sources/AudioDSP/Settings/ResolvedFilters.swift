/// ``FilterSettings`` with Lavalink's defaults filled in and each filter's on/off decided the
/// way Lavalink decides it (`isEnabled` in its filter configs): a filter at its neutral value
/// is off, so it costs nothing and does not block passthrough.
package struct ResolvedFilters: Sendable {
    package var volume: Float = 1
    package var equalizer = [Float](repeating: 0, count: 15)
    package var karaoke: (level: Float, monoLevel: Float, band: Float, width: Float)?
    package var speed = 1.0, pitch = 1.0, rate = 1.0
    package var tremolo: (frequency: Float, depth: Float)?
    package var vibrato: (frequency: Float, depth: Float)?
    package var rotationHz = 0.0
    /// sinOffset, sinScale, cosOffset, cosScale, tanOffset, tanScale, offset, scale.
    package var distortion: [Float]?
    /// leftToLeft, leftToRight, rightToLeft, rightToRight.
    package var channelMix: [Float] = [1, 0, 0, 1]
    package var smoothing: Float = 0

    package static let distortionDefaults: [Float] = [0, 1, 0, 1, 0, 1, 0, 1]

    package init(_ settings: FilterSettings) {
        volume = settings.volume ?? 1
        for band in settings.equalizer ?? [] where (0..<15).contains(band.band) { equalizer[band.band] = band.gain }
        if let k = settings.karaoke {
            let level = k.level ?? 1
            if level != 0 { karaoke = (level, k.monoLevel ?? 1, k.filterBand ?? 220, k.filterWidth ?? 100) }
        }
        speed = settings.timescale?.speed ?? 1
        pitch = settings.timescale?.pitch ?? 1
        rate = settings.timescale?.rate ?? 1
        if let t = settings.tremolo { tremolo = (t.frequency ?? 2, t.depth ?? 0.5) }
        if let v = settings.vibrato { vibrato = (v.frequency ?? 2, v.depth ?? 0.5) }
        rotationHz = settings.rotation?.rotationHz ?? 0
        if let d = settings.distortion {
            let values = [
                d.sinOffset ?? 0, d.sinScale ?? 1, d.cosOffset ?? 0, d.cosScale ?? 1,
                d.tanOffset ?? 0, d.tanScale ?? 1, d.offset ?? 0, d.scale ?? 1
            ]
            if values != Self.distortionDefaults { distortion = values }
        }
        if let m = settings.channelMix {
            channelMix = [m.leftToLeft ?? 1, m.leftToRight ?? 0, m.rightToLeft ?? 0, m.rightToRight ?? 1]
        }
        smoothing = settings.lowPass?.smoothing ?? 0
    }

    package var timescaleEnabled: Bool { speed != 1 || pitch != 1 || rate != 1 }
    package var equalizerEnabled: Bool { equalizer.contains { $0 != 0 } }
    package var channelMixEnabled: Bool {
        channelMix[0] != 1 || channelMix[1] != 0 || channelMix[2] != 0 || channelMix[3] != 1
    }
    package var lowPassEnabled: Bool { smoothing > 1 }

    package var isIdentity: Bool {
        volume == 1 && !equalizerEnabled && karaoke == nil && !timescaleEnabled && tremolo == nil
            && vibrato == nil && rotationHz == 0 && distortion == nil && !channelMixEnabled && !lowPassEnabled
    }
}
