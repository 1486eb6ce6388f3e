/// Unsigned LEB128, the variable-length integer DAVE uses for the truncated nonce in every
/// media frame: 7 bits per byte, least significant group first, high bit = more bytes follow.
package enum ULEB128 {
    /// The number of bytes `value` takes (1 for < 128, up to 10 for UInt64).
    package static func size(of value: UInt64) -> Int {
        var value = value, count = 1
        while value >= 0x80 {
            value >>= 7
            count += 1
        }
        return count
    }

    /// Appends `value` to `bytes`.
    package static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        var value = value
        repeat {
            var byte = UInt8(value & 0x7F)
            value >>= 7
            if value != 0 { byte |= 0x80 }
            bytes.append(byte)
        } while value != 0
    }

    /// Reads a value starting at `offset`, or nil when the bytes end mid-value or it overflows 64 bits.
    package static func read(_ bytes: UnsafeRawBufferPointer, at offset: Int) -> (value: UInt64, length: Int)? {
        var value: UInt64 = 0, shift: UInt64 = 0, index = offset
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            guard shift < 64, shift < 63 || byte & 0x7E == 0 else { return nil }
            value |= UInt64(byte & 0x7F) << shift
            if byte & 0x80 == 0 { return (value, index - offset) }
            shift += 7
        }
        return nil
    }
}
