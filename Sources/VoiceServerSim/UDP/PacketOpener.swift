import CSodium

/// Opens an rtpsize AEAD packet the way Discord's SFU does (doc §3.2), written independently
/// of the client so the two check each other: AAD is the RTP header (12 + 4·CC, plus the
/// 4-byte extension preamble when X is set), the last 4 bytes are the big-endian counter.
struct PacketOpener: Sendable {
    enum Failure: Error, Equatable { case tooShort, badVersion, authentication }

    struct Opened {
        var sequence: UInt16
        var timestamp: UInt32
        var ssrc: UInt32
        var counter: UInt32
        /// The Opus (or DAVE) payload, extension elements skipped.
        var payload: [UInt8]
    }

    let mode: String
    let key: [UInt8]

    static func header(_ packet: [UInt8]) -> (sequence: UInt16, timestamp: UInt32, ssrc: UInt32)? {
        guard packet.count >= 12, packet[0] >> 6 == 2 else { return nil }
        let sequence = UInt16(packet[2]) << 8 | UInt16(packet[3])
        let timestamp = packet[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let ssrc = packet[8..<12].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        return (sequence, timestamp, ssrc)
    }

    func open(_ packet: [UInt8]) throws(Failure) -> Opened {
        guard let (sequence, timestamp, ssrc) = Self.header(packet) else { throw .badVersion }
        let csrcCount = Int(packet[0] & 0x0F)
        let hasExtension = packet[0] & 0x10 != 0
        let aadLength = 12 + 4 * csrcCount + (hasExtension ? 4 : 0)
        guard packet.count >= aadLength + 16 + 4 else { throw .tooShort }
        let counterBytes = packet[(packet.count - 4)...]
        let counter = counterBytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        var nonce = [UInt8](repeating: 0, count: 24)
        nonce.replaceSubrange(0..<4, with: counterBytes)
        let sealedLength = packet.count - 4 - aadLength
        var plain = [UInt8](repeating: 0, count: sealedLength)
        var plainLength: UInt64 = 0
        let status = packet.withUnsafeBufferPointer { bytes in
            let base = bytes.baseAddress!
            return mode == "aead_aes256_gcm_rtpsize"
                ? crypto_aead_aes256gcm_decrypt(
                    &plain, &plainLength, nil, base + aadLength, UInt64(sealedLength),
                    base, UInt64(aadLength), nonce, key)
                : crypto_aead_xchacha20poly1305_ietf_decrypt(
                    &plain, &plainLength, nil, base + aadLength,
                    UInt64(sealedLength), base, UInt64(aadLength), nonce, key)
        }
        guard status == 0 else { throw .authentication }
        plain.removeSubrange(Int(plainLength)...)
        if hasExtension {
            // The preamble's length (in 32-bit words) is in the clear; the elements are in the plaintext.
            let words = Int(packet[aadLength - 2]) << 8 | Int(packet[aadLength - 1])
            guard plain.count >= 4 * words else { throw .tooShort }
            plain.removeFirst(4 * words)
        }
        return Opened(sequence: sequence, timestamp: timestamp, ssrc: ssrc, counter: counter, payload: plain)
    }
}

extension VoiceServerSim {
    /// Whether `packet` authenticates under `key` in `mode`: the server's own check, exposed
    /// so tests can hold it against published vectors.
    package static func canOpen(_ packet: [UInt8], mode: String, key: [UInt8]) -> Bool {
        _ = sodium_init()
        return (try? PacketOpener(mode: mode, key: key).open(packet)) != nil
    }
}

extension VoiceServerSim {
    /// The payload of `packet` as the server decrypts it, or nil when it does not authenticate.
    package static func openPayload(_ packet: [UInt8], mode: String, key: [UInt8]) -> [UInt8]? {
        _ = sodium_init()
        return try? PacketOpener(mode: mode, key: key).open(packet).payload
    }
}
