import Crypto

/// The per-sender, per-epoch hash ratchet that turns a DAVE base secret into one AES-128 key
/// per generation (RFC 9420 §9.1's leaf ratchet, as DAVE and libdave use it).
///
/// `key(for:)` only moves forward from the base secret and caches what it derived, so asking
/// for generation g costs at most g steps once, and never re-derives earlier keys.
public struct KeyRatchet: Sendable {
    private var secret: [UInt8]
    /// The exporter output this ratchet started from.
    public let baseSecret: [UInt8]
    private var nextGeneration: UInt32 = 0
    private var keys: [UInt32: SymmetricKey] = [:]

    /// `baseSecret` is the 16-byte MLS exporter output for one sender in one epoch.
    public init(baseSecret: [UInt8]) {
        secret = baseSecret
        self.baseSecret = baseSecret
    }

    /// The AES-128 key of `generation`, deriving forward as needed.
    public mutating func key(for generation: UInt32) -> SymmetricKey {
        if let key = keys[generation] { return key }
        while nextGeneration <= generation {
            let context = bigEndian32(nextGeneration)
            let key = SymmetricKey(data: Self.expand(secret, label: "key", context: context, length: 16))
            keys[nextGeneration] = key
            secret = Self.expand(secret, label: "secret", context: context, length: 32)
            nextGeneration += 1
        }
        return keys[generation]!
    }

    /// Drops cached keys older than `generation`; a receiver calls this once it has moved on.
    public mutating func forget(before generation: UInt32) {
        keys = keys.filter { $0.key >= generation }
    }

    /// MLS ExpandWithLabel over HKDF-SHA256: info = BE16(length) || V("MLS 1.0 " + label) || V(context).
    static func expand(_ secret: [UInt8], label: String, context: [UInt8], length: Int) -> [UInt8] {
        let fullLabel = Array("MLS 1.0 \(label)".utf8)
        var info: [UInt8] = [UInt8(length >> 8), UInt8(length & 0xFF)]
        info.append(UInt8(fullLabel.count))
        info += fullLabel
        info.append(UInt8(context.count))
        info += context
        let output = HKDF<SHA256>.expand(
            pseudoRandomKey: SymmetricKey(data: secret), info: info, outputByteCount: length)
        return output.withUnsafeBytes { Array($0) }
    }

    private func bigEndian32(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }
}
