/// Appends values in the TLS presentation language with RFC 9420 variable-length vector headers.
///
/// Encoding never fails or traps. MLS cannot express lengths of 2^30 or more; for such a vector
/// the header saturates, so the output is rejected when decoded instead of crashing here.
package struct TLSWriter: Sendable {
    /// The bytes written so far.
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package mutating func u8(_ value: UInt8) { bytes.append(value) }

    package mutating func u16(_ value: UInt16) {
        bytes.append(UInt8(value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    package mutating func u32(_ value: UInt32) {
        for shift in stride(from: 24, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    package mutating func u64(_ value: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }

    /// RFC 9420 §2.1.2 variable-length integer, always in its minimal form.
    package mutating func varint(_ value: Int) {
        let v = UInt32(clamping: max(0, min(value, (1 << 30) - 1)))
        if v < 0x40 {
            u8(UInt8(v))
        } else if v < 0x4000 {
            u16(UInt16(v) | 0x4000)
        } else {
            u32(v | 0x8000_0000)
        }
    }

    /// Raw bytes with no length header.
    package mutating func raw(_ data: [UInt8]) { bytes.append(contentsOf: data) }

    /// `opaque data<V>`.
    package mutating func opaque(_ data: [UInt8]) {
        varint(data.count)
        bytes.append(contentsOf: data)
    }

    /// A vector `<V>` whose body is produced by `body`.
    package mutating func vector(_ body: (inout TLSWriter) -> Void) {
        var inner = TLSWriter()
        body(&inner)
        opaque(inner.bytes)
    }

    /// A vector `<V>` of encodable elements.
    package mutating func vector<T: MLSEncodable>(_ items: [T]) {
        vector { w in for item in items { item.encode(to: &w) } }
    }

    /// `optional<T>`: a presence byte followed by the value.
    package mutating func optional<T: MLSEncodable>(_ value: T?) {
        if let value {
            u8(1)
            value.encode(to: &self)
        } else {
            u8(0)
        }
    }

    package mutating func encode<T: MLSEncodable>(_ value: T) { value.encode(to: &self) }
}

/// A value with a canonical TLS/MLS encoding.
package protocol MLSEncodable: Sendable {
    func encode(to writer: inout TLSWriter)
}

/// A value decodable from its TLS/MLS encoding; decoding consumes exactly its own bytes.
package protocol MLSDecodable: Sendable {
    init(from reader: inout TLSReader) throws(MLSCodecError)
}

package typealias MLSCodable = MLSEncodable & MLSDecodable

extension MLSEncodable {
    /// The canonical encoding of this value.
    package var encoded: [UInt8] {
        var w = TLSWriter()
        encode(to: &w)
        return w.bytes
    }
}

extension MLSDecodable {
    /// Decodes a value that must span all of `bytes` (trailing bytes are an error).
    package init(decoding bytes: [UInt8]) throws(MLSCodecError) {
        var r = TLSReader(bytes)
        self = try Self(from: &r)
        try r.finish(String(describing: Self.self))
    }
}
