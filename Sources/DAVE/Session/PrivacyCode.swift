/// DAVE's displayable codes (doc §5.9): the voice privacy code every member of an epoch shows.
package enum PrivacyCode {
    /// Digits per group and bytes read per group.
    package static let groupSize = 5

    /// `length` digits: each `groupSize`-byte chunk, read big-endian, mod 10^groupSize,
    /// zero-padded. The voice privacy code is the 30-digit code of the epoch authenticator.
    /// Returns nil when `data` is shorter than `length` bytes.
    package static func displayable(_ data: [UInt8], length: Int = 30) -> String? {
        guard length % groupSize == 0, data.count >= length else { return nil }
        var modulus: UInt64 = 1
        for _ in 0..<groupSize { modulus *= 10 }
        var code = ""
        for start in stride(from: 0, to: length, by: groupSize) {
            let value = data[start..<(start + groupSize)].reduce(UInt64(0)) { $0 << 8 | UInt64($1) } % modulus
            let digits = String(value)
            code += String(repeating: "0", count: groupSize - digits.count) + digits
        }
        return code
    }
}
