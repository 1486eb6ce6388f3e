import COpenSSL
import Crypto

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
