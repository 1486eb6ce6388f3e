/// Byte layout of a DAVE-protected media frame (protocol version 1, Opus audio):
///
///     ciphertext | tag (8) | ULEB128(nonce) | unencrypted ranges | size (1) | FA FA
///
/// `size` counts everything after the ciphertext, itself and the marker included.
package enum MediaFrame {
    /// The two-byte marker every protected frame ends with.
    package static let marker: (UInt8, UInt8) = (0xFA, 0xFA)
    /// AES-128-GCM tag, truncated to its first 8 bytes.
    package static let tagLength = 8
    /// Bytes a frame grows by for a given nonce (no unencrypted ranges: Opus is encrypted whole).
    package static func overhead(nonce: UInt32) -> Int {
        tagLength + ULEB128.size(of: UInt64(nonce)) + 1 + 2
    }

    /// The most a frame grows by (a 32-bit nonce takes 5 ULEB128 bytes).
    package static let maximumOverhead = tagLength + 5 + 1 + 2

    /// The 12-byte AES-GCM IV: 8 zero bytes, then the truncated nonce little-endian.
    static func iv(nonce: UInt32) -> [UInt8] {
        [
            0, 0, 0, 0, 0, 0, 0, 0,
            UInt8(nonce & 0xFF), UInt8((nonce >> 8) & 0xFF), UInt8((nonce >> 16) & 0xFF), UInt8(nonce >> 24)
        ]
    }

    /// `F8 FF FE`, Opus silence: it crosses the DAVE layer untouched in both directions.
    package static func isSilence(_ frame: UnsafeRawBufferPointer) -> Bool {
        frame.count == 3 && frame[0] == 0xF8 && frame[1] == 0xFF && frame[2] == 0xFE
    }
}
