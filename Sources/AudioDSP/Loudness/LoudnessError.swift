/// Why loudness measurement or normalisation could not be set up.
public enum LoudnessError: Error, Equatable, Sendable, CustomStringConvertible {
    /// libebur128 refused the format (it returns no state).
    case meterUnavailable(channels: Int, sampleRate: Double)
    /// A target outside −23…−10 LUFS.
    case targetOutOfRange(lufs: Double)

    public var description: String {
        switch self {
        case let .meterUnavailable(channels, rate): "libebur128 cannot meter \(channels) channels at \(rate) Hz"
        case let .targetOutOfRange(lufs): "loudness target \(lufs) LUFS is outside -23…-10"
        }
    }
}
