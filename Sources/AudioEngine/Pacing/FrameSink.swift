/// The one place paced audio leaves the engine.
///
/// The pacer calls a sink on its own real-time thread, once per 20 ms tick at most, so every
/// method must return quickly and must not block, allocate per call or log per frame.
/// The RTP sender implements it for Discord; tests use a recording sink.
///
/// Guarantees the pacer gives a sink:
/// - `setSpeaking(true)` comes before the first frame of a track, and `setSpeaking(false)`
///   after the 5 trailing silence frames that end it.
/// - Frames arrive in order, never twice, and only while `isReady` was true at the tick.
public protocol FrameSink: AnyObject, Sendable {
    /// False while the connection cannot deliver (handshake, resume, move). The pacer then
    /// keeps the frame in the ring and counts the tick as nulled, so nothing is lost.
    var isReady: Bool { get }

    /// One Opus packet for the current tick. The bytes are only valid during the call.
    func send(opus: UnsafeRawBufferPointer)

    /// The speaking state changed; the sink forwards it to whoever listens (Discord op 5).
    func setSpeaking(_ speaking: Bool)
}

/// The 3-byte Opus frame that decodes as 20 ms of silence (`F8 FF FE`).
public let opusSilenceFrame: [UInt8] = [0xF8, 0xFF, 0xFE]
