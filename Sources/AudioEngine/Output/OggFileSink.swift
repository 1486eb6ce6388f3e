import Foundation

/// A `FrameSink` that records the audio the pacer emits into an Ogg Opus file, for
/// `cadence play --out` and for listening to what a track would have sounded like on Discord.
///
/// Only the audio is kept: the silence frames that end a burst on the wire are left out, and
/// the end trim the pacer reports goes into the last page's granule position, so a decoder
/// returns exactly the samples of the sources played.
///
/// Only the pacer thread sends; the lock is there so `close()` from another thread is safe.
public final class OggFileSink: FrameSink, @unchecked Sendable {
    private let lock = NSLock()
    private var writer: OggOpusWriter?
    private var failure: (any Error)?

    public init(url: URL) throws {
        writer = try OggOpusWriter(url: url)
    }

    public var isReady: Bool { true }

    public func send(opus: UnsafeRawBufferPointer) {
        lock.withLock {
            do {
                try writer?.append(opus)
            } catch {
                failure = failure ?? error
            }
        }
    }

    public func setSpeaking(_ speaking: Bool) {}

    public func sendSilence(opus: UnsafeRawBufferPointer) {}

    public func audioEnded(paddingSamples: Int) {
        lock.withLock { writer?.endTrim = paddingSamples - Int(opusEncoderDelay) }
    }

    /// Finishes the file; reports the first write error, if any happened.
    public func close() throws {
        try lock.withLock {
            try writer?.close()
            writer = nil
            if let failure { throw failure }
        }
    }
}
