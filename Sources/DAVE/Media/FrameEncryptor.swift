import COpenSSL
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

// MARK: One frame's seal
// What `encrypt(_:into:)` runs for each frame, kept beside it so the real-time path reads in
// one file: the frame layout's writer, the varint nonce and the libcrypto context.

extension MediaFrame {
    /// Encrypts `opus` into `out` (ciphertext, truncated tag, trailer) with `sealer` and
    /// returns the frame's length. `out` must hold `opus.count + overhead(nonce:)` bytes.
    /// Nothing is allocated: the ciphertext is written straight into the caller's buffer.
    static func seal(
        _ opus: UnsafeRawBufferPointer, sealer: GCMSealer, nonce: UInt32,
        into out: UnsafeMutableRawBufferPointer
    ) throws(DAVEError) -> Int {
        let total = opus.count + overhead(nonce: nonce)
        guard out.count >= total, let base = out.baseAddress else {
            throw .encryptionFailed("output buffer of \(out.count) bytes, need \(total)")
        }
        var ivBytes: (UInt64, UInt32) = (0, nonce.littleEndian)
        var tag: (UInt64, UInt64) = (0, 0)
        let sealed = withUnsafeBytes(of: &ivBytes) { iv in
            withUnsafeMutableBytes(of: &tag) { tag in
                sealer.seal(opus, iv: iv.baseAddress!, into: base, tag: tag.baseAddress!)
            }
        }
        guard sealed else { throw .encryptionFailed("AES-GCM (libcrypto) failed") }
        var index = opus.count
        withUnsafeBytes(of: &tag) { tag in
            UnsafeMutableRawBufferPointer(rebasing: out[index..<(index + tagLength)])
                .copyMemory(from: UnsafeRawBufferPointer(rebasing: tag[0..<tagLength]))
        }
        index += tagLength
        index += ULEB128.write(UInt64(nonce), to: out, at: index)
        out[index] = UInt8(overhead(nonce: nonce))
        out[index + 1] = marker.0
        out[index + 2] = marker.1
        return index + 3
    }
}

extension ULEB128 {
    /// Writes `value` at `offset` and returns the number of bytes written.
    /// The buffer must have room for `size(of:)` bytes; nothing is allocated.
    @discardableResult
    package static func write(_ value: UInt64, to buffer: UnsafeMutableRawBufferPointer, at offset: Int) -> Int {
        var value = value, index = offset
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            buffer[index] = byte
            index += 1
        } while value != 0
        return index - offset
    }
}

/// AES-GCM encryption for the real-time send path on one libcrypto context per key: each frame
/// sets its IV and is encrypted straight into the caller's buffer, so a frame costs no heap
/// allocation. (swift-crypto's `AES.GCM.seal` builds a sealed box with its own ciphertext and
/// tag: ten allocations a frame on the pacer thread.) Frames are decrypted with swift-crypto
/// as before; both follow NIST SP 800-38D, so either side opens what the other sealed.
///
/// Not thread-safe: one encryptor uses it at a time (`RTPSender` holds its encryptor under a lock).
final class GCMSealer: @unchecked Sendable {
    private let context: OpaquePointer

    /// A context for `key` (16 or 32 bytes), or nil if libcrypto refuses it.
    init?(key: SymmetricKey) {
        guard let cipher = key.bitCount == 128 ? EVP_aes_128_gcm() : key.bitCount == 256 ? EVP_aes_256_gcm() : nil,
            let context = EVP_CIPHER_CTX_new()
        else { return nil }
        self.context = context
        let ready = key.withUnsafeBytes { bytes -> Bool in
            EVP_EncryptInit_ex(context, cipher, nil, nil, nil) == 1
                && EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_SET_IVLEN, 12, nil) == 1
                && EVP_EncryptInit_ex(context, nil, nil, bytes.bindMemory(to: UInt8.self).baseAddress, nil) == 1
        }
        guard ready else { return nil }
    }

    deinit { EVP_CIPHER_CTX_free(context) }

    /// Encrypts `plain` into `out` (at least `plain.count` bytes) under the 12-byte `iv` and
    /// writes the 16-byte tag to `tag`. False if libcrypto failed (nothing is then valid).
    func seal(
        _ plain: UnsafeRawBufferPointer, iv: UnsafeRawPointer, into out: UnsafeMutableRawPointer, tag: UnsafeMutableRawPointer
    ) -> Bool {
        var written: Int32 = 0
        var final: Int32 = 0
        guard EVP_EncryptInit_ex(context, nil, nil, nil, iv.assumingMemoryBound(to: UInt8.self)) == 1,
            EVP_EncryptUpdate(
                context, out.assumingMemoryBound(to: UInt8.self), &written,
                plain.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(plain.count)) == 1,
            EVP_EncryptFinal_ex(context, out.assumingMemoryBound(to: UInt8.self) + Int(written), &final) == 1,
            Int(written + final) == plain.count
        else { return false }
        return EVP_CIPHER_CTX_ctrl(context, EVP_CTRL_GCM_GET_TAG, 16, tag) == 1
    }
}
