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
