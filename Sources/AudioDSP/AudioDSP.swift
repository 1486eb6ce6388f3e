/// # AudioDSP
///
/// The player's sample processing, on 48 kHz interleaved stereo Float32. It depends only on
/// two system C libraries: libsoundtouch (timescale) and libebur128 (loudness). The engine calls
/// it from the decoder thread; every type is owned by one thread and none locks.
///
/// ## The public face
///
/// - ``FilterSettings``: Lavalink v4's `filters` object (same JSON field names), with
///   ``FilterSettings/validate()`` (Lavalink's ranges, throwing ``FilterError`` with the field and
///   the reason) and ``FilterSettings/isIdentity`` (passthrough is possible).
/// - ``FilterChain``: the ten filters in lavaplayer's order. `process` pushes, `read` pulls,
///   `flush` at a track's end, `reset` on a seek; `update` is heard at the next push and ramped
///   over 20 ms; `timeRatio` maps output frames back to source time under timescale.
/// - ``LoudnessMeter``: integrated (gated), momentary and short-term LUFS, true and sample peak.
/// - ``LoudnessNormalization``: the gain rule (target −14 LUFS, −23…−10; boost ≤ +9 dB; true peak
///   ≤ −1 dBTP by clamp or limiter).
/// - ``RunningLoudnessGain``: a first play's estimate (≤ 1 dB/s, frozen once measured) and the
///   slow AGC for live streams.
/// - ``TruePeakLimiter``: look-ahead, 4× oversampled peak detection, fixed latency, in place.
/// - ``Crossfade``, ``FadeOut``, ``SilenceTrim``: equal-power overlap, the 250 ms skip fade, and
///   where a track's audible content ends (−50 dBFS).
///
/// ## Guarantees on the hot path
///
/// `FilterChain.process/read`, `RunningLoudnessGain.process`, `TruePeakLimiter.process`,
/// `LoudnessMeter.add` (histogram mode) and the crossfade helpers allocate nothing after init:
/// every buffer is sized once. SoundTouch grows its own buffers during the first seconds of
/// timescale and then reuses them. Parameter changes glide; nothing steps.
public enum AudioDSP {
    /// The sample rate the filters are specified at (lavaplayer's equalizer table is for it).
    public static let sampleRate = 48_000.0
    /// Samples are interleaved stereo.
    public static let channels = 2
}
