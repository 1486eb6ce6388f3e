import Crypto

/// Encrypts one sender's outgoing Opus frames for the current epoch.
///
/// Guarantees: every frame gets a fresh truncated nonce (pre-incremented, so the first is 1);
/// the generation, and with it the key, follows the nonce's top byte, so a long-lived sender
/// rolls from generation 0 to 1 after 2^24 frames without any action from the caller.
/// Silence frames pass through unchanged.
public struct FrameEncryptor: Sendable {
    private var ratchet: KeyRatchet
    private var nonce: UInt32
    private var wraps: UInt32 = 0
    private var currentGeneration: UInt32 = .max
    /// The current generation's key, as a libcrypto context.
    private var sealer: GCMSealer?

    /// `startingNonce` is a test hook: starting near 2^24 exercises the generation rollover.
    public init(ratchet: KeyRatchet, startingNonce: UInt32 = 0) {
        self.ratchet = ratchet
        self.nonce = startingNonce
    }

    /// The nonce the last encrypted frame used.
    public var lastNonce: UInt32 { nonce }

    /// Encrypts `opus` into a protected frame. Silence comes back as it went in.
    public mutating func encrypt(_ opus: [UInt8]) throws(DAVEError) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: opus.count + MediaFrame.maximumOverhead)
        var result: Result<Int, DAVEError> = .success(0)
        opus.withUnsafeBytes { frame in
            out.withUnsafeMutableBytes { buffer in
                do throws(DAVEError) { result = .success(try encrypt(frame, into: buffer)) } catch { result = .failure(error) }
            }
        }
        return Array(out[0..<(try result.get())])
    }

    /// The real-time path: encrypts `opus` into `out` and returns the frame length. Silence is
    /// copied through unchanged. `out` needs `opus.count + MediaFrame.maximumOverhead` bytes.
    public mutating func encrypt(_ opus: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) throws(DAVEError) -> Int {
        if MediaFrame.isSilence(opus) {
            guard out.count >= opus.count else { throw .encryptionFailed("output buffer too small for silence") }
            out.copyMemory(from: opus)
            return opus.count
        }
        advance()
        guard let sealer else { throw .encryptionFailed("libcrypto refused the AES-GCM key") }
        return try MediaFrame.seal(opus, sealer: sealer, nonce: nonce, into: out)
    }

    /// Pre-increments the nonce and switches key when the generation (top byte) changes.
    private mutating func advance() {
        let (next, overflow) = nonce.addingReportingOverflow(1)
        if overflow { wraps += 1 }
        nonce = next
        let generation = wraps &* 256 &+ (nonce >> 24)
        if generation != currentGeneration {
            sealer = GCMSealer(key: ratchet.key(for: generation))
            ratchet.forget(before: generation)
            currentGeneration = generation
        }
    }
}
