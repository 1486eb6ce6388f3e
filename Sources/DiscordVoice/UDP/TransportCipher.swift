/// The transport key and mode of one voice session, sealing RTP packets for an rtpsize AEAD
/// mode (doc §3.2); the in-place seal the pacer calls is in `RTPSender.swift`.
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
