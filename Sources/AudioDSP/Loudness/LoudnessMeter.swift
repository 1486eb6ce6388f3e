import CEbur128
import Foundation

/// EBU R128 / ITU-R BS.1770-4 loudness of interleaved Float32 audio, through libebur128.
///
/// Integrated loudness is gated (−70 LUFS absolute, −10 LU relative); true peak is measured on
/// 4× oversampled audio. The meter keeps its gating blocks in a fixed histogram, so feeding it
/// allocates nothing however long the track. One thread at a time.
public final class LoudnessMeter {
    public let channels: Int
    public let sampleRate: Double
    private var state: UnsafeMutablePointer<ebur128_state>?

    /// `windowSeconds` is the longest window ``loudness(overLast:)`` may be asked for.
    public init(sampleRate: Double = 48_000, channels: Int = 2, windowSeconds: Double = 3) throws(LoudnessError) {
        self.channels = channels
        self.sampleRate = sampleRate
        let mode = Int32(
            EBUR128_MODE_I.rawValue | EBUR128_MODE_S.rawValue | EBUR128_MODE_TRUE_PEAK.rawValue
                | EBUR128_MODE_HISTOGRAM.rawValue)
        guard let state = ebur128_init(UInt32(channels), UInt(sampleRate.rounded()), mode) else {
            throw .meterUnavailable(channels: channels, sampleRate: sampleRate)
        }
        self.state = state
        if windowSeconds > 3 { _ = ebur128_set_max_window(state, UInt(windowSeconds * 1000)) }
    }

    deinit { ebur128_destroy(&state) }

    /// Adds `frames` interleaved frames.
    public func add(_ samples: UnsafePointer<Float>, frames: Int) {
        guard frames > 0 else { return }
        _ = ebur128_add_frames_float(state, samples, frames)
    }

    /// Gated integrated loudness so far; nil until a gating block passes the gates.
    public var integratedLUFS: Double? { finite { ebur128_loudness_global(state, &$0) } }

    /// Loudness of the last 400 ms.
    public var momentaryLUFS: Double? { finite { ebur128_loudness_momentary(state, &$0) } }

    /// Loudness of the last 3 s.
    public var shortTermLUFS: Double? { finite { ebur128_loudness_shortterm(state, &$0) } }

    /// Ungated loudness of the last `seconds` (up to the `windowSeconds` given at init).
    public func loudness(overLast seconds: Double) -> Double? {
        finite { ebur128_loudness_window(state, UInt(seconds * 1000), &$0) }
    }

    /// The highest true peak of any channel so far, in dBTP (−∞ for silence).
    public var truePeakDBTP: Double { peak(ebur128_true_peak) }

    /// The highest sample peak of any channel so far, in dBFS.
    public var samplePeakDBFS: Double { peak(ebur128_sample_peak) }

    private func peak(_ read: (UnsafeMutablePointer<ebur128_state>?, UInt32, UnsafeMutablePointer<Double>) -> Int32) -> Double {
        var highest = 0.0
        for channel in 0..<channels {
            var value = 0.0
            if read(state, UInt32(channel), &value) == Int32(EBUR128_SUCCESS.rawValue) { highest = max(highest, value) }
        }
        return 20 * log10(highest)
    }

    private func finite(_ read: (inout Double) -> Int32) -> Double? {
        var value = -Double.infinity
        guard read(&value) == Int32(EBUR128_SUCCESS.rawValue), value.isFinite else { return nil }
        return value
    }
}
