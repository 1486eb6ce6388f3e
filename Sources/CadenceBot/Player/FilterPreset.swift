import AudioDSP

/// The `/filter` presets: each is a Lavalink `filters` object (the README lists them as JSON),
/// defined here once. `off` clears every filter.
package enum FilterPreset: String, CaseIterable, Sendable {
    case nightcore, vaporwave, bassboost
    case eightD = "8d"
    case karaoke, off

    package var settings: FilterSettings {
        switch self {
        case .nightcore:
            FilterSettings(timescale: .init(speed: 1.3, pitch: 1.3, rate: 1))
        case .vaporwave:
            FilterSettings(
                equalizer: [.init(band: 0, gain: 0.3), .init(band: 1, gain: 0.3)],
                timescale: .init(speed: 0.85, pitch: 0.8, rate: 1))
        case .bassboost:
            FilterSettings(equalizer: [
                .init(band: 0, gain: 0.25), .init(band: 1, gain: 0.2), .init(band: 2, gain: 0.15),
                .init(band: 3, gain: 0.1), .init(band: 4, gain: 0.05)
            ])
        case .eightD:
            FilterSettings(rotation: .init(rotationHz: 0.2))
        case .karaoke:
            FilterSettings(karaoke: .init(level: 1, monoLevel: 1, filterBand: 220, filterWidth: 100))
        case .off:
            FilterSettings()
        }
    }

    /// What /nowplaying and /filter say about it.
    package var summary: String {
        switch self {
        case .nightcore: "nightcore (speed and pitch ×1.3)"
        case .vaporwave: "vaporwave (speed ×0.85, pitch ×0.8, bass +)"
        case .bassboost: "bassboost (25–160 Hz raised)"
        case .eightD: "8d (rotation 0.2 Hz)"
        case .karaoke: "karaoke (centre voice removed)"
        case .off: "none"
        }
    }
}
