/// The one place paced audio leaves the engine.
///
/// The pacer calls a sink on its own real-time thread, once per 20 ms tick at most, so every
/// method must return quickly and must not block, allocate per call or log per frame.
/// The RTP sender implements it for Discord; tests use a recording sink.
///
/// Guarantees the pacer gives a sink:
/// - `setSpeaking(true)` comes one tick (20 ms) before the first frame of a burst, so whoever
///   announces it has a period to do so, and `setSpeaking(false)` after the 5 trailing
///   silence frames that end it.
/// - Frames arrive in order, never twice, and only while `isReady` was true at the tick.
public protocol FrameSink: AnyObject, Sendable {
    /// False while the connection cannot deliver (handshake, resume, move). The pacer then
    /// keeps the frame in the ring and counts the tick as nulled, so nothing is lost.
    var isReady: Bool { get }

    /// One Opus packet for the current tick. The bytes are only valid during the call.
    func send(opus: UnsafeRawBufferPointer)

    /// The speaking state changed; the sink forwards it to whoever listens (Discord op 5).
    func setSpeaking(_ speaking: Bool)

    /// One of the silence frames that end a burst: it keeps a listener's decoder from
    /// interpolating, but it is not part of the audio. Recorders leave it out.
    func sendSilence(opus: UnsafeRawBufferPointer)

    /// The audio is over (end of the queue or a stop; not a pause): the last frame sent ended
    /// with `paddingSamples` samples that are not audio, which a recorder trims (Opus end trim).
    func audioEnded(paddingSamples: Int)
}

extension FrameSink {
    public func sendSilence(opus: UnsafeRawBufferPointer) { send(opus: opus) }
    public func audioEnded(paddingSamples: Int) {}
}

/// libopus's look-ahead at 48 kHz (samples): the pre-skip of a stream of Cadence's packets.
public let opusEncoderDelay = 312

/// The 3-byte Opus frame that decodes as 20 ms of silence (`F8 FF FE`).
public let opusSilenceFrame: [UInt8] = [0xF8, 0xFF, 0xFE]
