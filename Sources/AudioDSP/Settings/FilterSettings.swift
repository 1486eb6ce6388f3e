/// Lavalink v4's `filters` object, field for field, so a client's JSON round-trips unchanged.
///
/// Every member is optional: a missing (or `null`) field means that filter is not set, as in
/// Lavalink, where a PATCH replaces the whole set. Decoding never range-checks; call
/// ``validate()`` before handing settings to a ``FilterChain``.
public struct FilterSettings: Codable, Equatable, Sendable {
    /// Linear gain, 0…5 (1 = unchanged; above 1 may clip).
    public var volume: Float?
    /// Up to 15 bands of lavaplayer's equalizer; a band not listed stays flat.
    public var equalizer: [EqualizerBand]?
    public var karaoke: Karaoke?
    public var timescale: Timescale?
    public var tremolo: Tremolo?
    public var vibrato: Vibrato?
    public var rotation: Rotation?
    public var distortion: Distortion?
    public var channelMix: ChannelMix?
    public var lowPass: LowPass?
    /// Plugin filters, kept as the client sent them; this module applies none of them.
    public var pluginFilters: JSONValue?

    public init(
        volume: Float? = nil, equalizer: [EqualizerBand]? = nil, karaoke: Karaoke? = nil,
        timescale: Timescale? = nil, tremolo: Tremolo? = nil, vibrato: Vibrato? = nil,
        rotation: Rotation? = nil, distortion: Distortion? = nil, channelMix: ChannelMix? = nil,
        lowPass: LowPass? = nil, pluginFilters: JSONValue? = nil
    ) {
        self.volume = volume
        self.equalizer = equalizer
        self.karaoke = karaoke
        self.timescale = timescale
        self.tremolo = tremolo
        self.vibrato = vibrato
        self.rotation = rotation
        self.distortion = distortion
        self.channelMix = channelMix
        self.lowPass = lowPass
        self.pluginFilters = pluginFilters
    }

    /// One equalizer band: `band` 0…14 (25 Hz … 16 kHz), `gain` −0.25…1.0 (0 flat, 0.25 = ×2, −0.25 mutes it).
    public struct EqualizerBand: Codable, Equatable, Sendable {
        public var band: Int
        public var gain: Float
        public init(band: Int, gain: Float) {
            self.band = band
            self.gain = gain
        }
    }

    /// Cuts what is common to both channels (usually the voice) and keeps a band of it.
    public struct Karaoke: Codable, Equatable, Sendable {
        public var level: Float?
        public var monoLevel: Float?
        public var filterBand: Float?
        public var filterWidth: Float?
        public init(level: Float? = nil, monoLevel: Float? = nil, filterBand: Float? = nil, filterWidth: Float? = nil) {
            self.level = level
            self.monoLevel = monoLevel
            self.filterBand = filterBand
            self.filterWidth = filterWidth
        }
    }

    /// SoundTouch's tempo (`speed`), pitch and rate (both together), each > 0, 1 = unchanged.
    public struct Timescale: Codable, Equatable, Sendable {
        public var speed: Double?
        public var pitch: Double?
        public var rate: Double?
        public init(speed: Double? = nil, pitch: Double? = nil, rate: Double? = nil) {
            self.speed = speed
            self.pitch = pitch
            self.rate = rate
        }
    }

    /// Amplitude modulation: gain swings over [1 − depth, 1] at `frequency` Hz.
    public struct Tremolo: Codable, Equatable, Sendable {
        public var frequency: Float?
        public var depth: Float?
        public init(frequency: Float? = nil, depth: Float? = nil) {
            self.frequency = frequency
            self.depth = depth
        }
    }

    /// Pitch modulation through a swept delay of up to 2 ms, at `frequency` Hz (≤ 14).
    public struct Vibrato: Codable, Equatable, Sendable {
        public var frequency: Float?
        public var depth: Float?
        public init(frequency: Float? = nil, depth: Float? = nil) {
            self.frequency = frequency
            self.depth = depth
        }
    }

    /// Pans the sound around the head ("8D") at `rotationHz` turns per second.
    public struct Rotation: Codable, Equatable, Sendable {
        public var rotationHz: Double?
        public init(rotationHz: Double? = nil) { self.rotationHz = rotationHz }
    }

    /// lavadsp's waveshaper: `offset + scale · (sinOffset + sin(x·sinScale)) · (cos…) · (tan…)`, clamped to ±1.
    public struct Distortion: Codable, Equatable, Sendable {
        public var sinOffset: Float?
        public var sinScale: Float?
        public var cosOffset: Float?
        public var cosScale: Float?
        public var tanOffset: Float?
        public var tanScale: Float?
        public var offset: Float?
        public var scale: Float?
        public init(
            sinOffset: Float? = nil, sinScale: Float? = nil, cosOffset: Float? = nil, cosScale: Float? = nil,
            tanOffset: Float? = nil, tanScale: Float? = nil, offset: Float? = nil, scale: Float? = nil
        ) {
            self.sinOffset = sinOffset
            self.sinScale = sinScale
            self.cosOffset = cosOffset
            self.cosScale = cosScale
            self.tanOffset = tanOffset
            self.tanScale = tanScale
            self.offset = offset
            self.scale = scale
        }
    }

    /// A 2×2 matrix: L' = L·leftToLeft + R·rightToLeft, R' = L·leftToRight + R·rightToRight; each 0…1.
    public struct ChannelMix: Codable, Equatable, Sendable {
        public var leftToLeft: Float?
        public var leftToRight: Float?
        public var rightToLeft: Float?
        public var rightToRight: Float?
        public init(leftToLeft: Float? = nil, leftToRight: Float? = nil, rightToLeft: Float? = nil, rightToRight: Float? = nil) {
            self.leftToLeft = leftToLeft
            self.leftToRight = leftToRight
            self.rightToLeft = rightToLeft
            self.rightToRight = rightToRight
        }
    }

    /// A one-pole smoother, y += (x − y) / smoothing; `smoothing` ≤ 1 turns it off.
    public struct LowPass: Codable, Equatable, Sendable {
        public var smoothing: Float?
        public init(smoothing: Float? = nil) { self.smoothing = smoothing }
    }
}
