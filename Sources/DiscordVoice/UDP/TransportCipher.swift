import CSodium

/// Seals one RTP packet in place for an rtpsize AEAD mode (doc §3.2).
///
/// Layout produced: `header(12) | ciphertext | tag(16) | counter(4, big-endian)`; the AAD is
/// the header and the nonce is the counter followed by zero bytes (12 for AES-GCM, 24 for
/// XChaCha20). Works on caller-owned memory and allocates nothing.
package struct TransportCipher: Sendable {
    package let mode: EncryptionMode
    /// The 32-byte `secret_key` from Session Description.
    package let key: [UInt8]

    package init(mode: EncryptionMode, key: [UInt8]) throws(VoiceError) {
        guard key.count == 32 else { throw .badSessionDescription("secret_key has \(key.count) bytes, expected 32") }
        Sodium.initialize()
        self.mode = mode
        self.key = key
    }

    /// Encrypts `payload` behind the 12-byte header already at `packet[0..<12]` and returns the
    /// packet's total length. `packet` must hold 12 + payload + 20 bytes.
    package func seal(
        packet: UnsafeMutableRawPointer, payload: UnsafeRawBufferPointer, counter: UInt32,
        nonceScratch: UnsafeMutablePointer<UInt8>
    ) -> Int {
        let header = packet.assumingMemoryBound(to: UInt8.self)
        let cipher = header + RTPHeader.size
        for i in 0..<24 { nonceScratch[i] = 0 }
        for i in 0..<4 { nonceScratch[i] = UInt8(truncatingIfNeeded: counter >> (24 - 8 * i)) }
        var written: UInt64 = 0
        let message = payload.baseAddress?.assumingMemoryBound(to: UInt8.self)
        key.withUnsafeBufferPointer { key in
            switch mode {
            case .aes256GCM:
                _ = crypto_aead_aes256gcm_encrypt(
                    cipher, &written, message, UInt64(payload.count),
                    header, UInt64(RTPHeader.size), nil, nonceScratch, key.baseAddress!)
            case .xchacha20Poly1305:
                _ = crypto_aead_xchacha20poly1305_ietf_encrypt(
                    cipher, &written, message, UInt64(payload.count),
                    header, UInt64(RTPHeader.size), nil, nonceScratch,
                    key.baseAddress!)
            }
        }
        let suffix = cipher + Int(written)
        for i in 0..<4 { suffix[i] = nonceScratch[i] }
        return RTPHeader.size + Int(written) + 4
    }

    /// Convenience for tests and tools: seals into a new array.
    package func seal(header: RTPHeader, payload: [UInt8], counter: UInt32) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: RTPHeader.size + payload.count + EncryptionMode.overhead)
        var nonce = [UInt8](repeating: 0, count: 24)
        let length = packet.withUnsafeMutableBytes { out in
            header.write(to: out.baseAddress!)
            return payload.withUnsafeBytes { payload in
                nonce.withUnsafeMutableBufferPointer {
                    seal(
                        packet: out.baseAddress!, payload: payload, counter: counter,
                        nonceScratch: $0.baseAddress!)
                }
            }
        }
        return Array(packet.prefix(length))
    }
}
