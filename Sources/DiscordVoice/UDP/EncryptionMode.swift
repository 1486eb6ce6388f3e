import CSodium

/// The two transport-encryption modes Discord still accepts (doc §3.1). Both append a 32-bit
/// big-endian counter to the packet and authenticate the 12-byte RTP header.
package enum EncryptionMode: String, Sendable, CaseIterable {
    case aes256GCM = "aead_aes256_gcm_rtpsize"
    case xchacha20Poly1305 = "aead_xchacha20_poly1305_rtpsize"

    /// Bytes the mode adds after the ciphertext: 16-byte tag plus the 4-byte nonce suffix.
    package static let overhead = 16 + 4

    /// AES-GCM when the server offers it and this CPU has AES instructions (libsodium only
    /// implements it in hardware); otherwise XChaCha20, which every server must offer.
    /// Nil when neither is offered, which a real server never does.
    package static func choose(offered: [String], allowAES: Bool = true) -> EncryptionMode? {
        Sodium.initialize()
        if allowAES, offered.contains(aes256GCM.rawValue), crypto_aead_aes256gcm_is_available() != 0 {
            return .aes256GCM
        }
        return offered.contains(xchacha20Poly1305.rawValue) ? .xchacha20Poly1305 : nil
    }
}

/// libsodium must be initialised once before use; `sodium_init` is idempotent and thread-safe.
enum Sodium {
    static func initialize() { _ = initialized }
    private static let initialized: Bool = sodium_init() >= 0
}
