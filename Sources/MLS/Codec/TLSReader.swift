/// Reads the TLS presentation language with RFC 9420 variable-length vector headers, strictly.
///
/// Guarantees: never reads outside its bounds, rejects non-minimal or reserved varints,
/// and lets callers reject trailing bytes with `finish`. Sub-readers share storage (no copy).
package struct TLSReader: Sendable {
    private let storage: [UInt8]
    fileprivate(set) var position: Int
    private let end: Int

    package init(_ bytes: [UInt8]) {
        storage = bytes
        position = 0
        end = bytes.count
    }

    private init(storage: [UInt8], start: Int, end: Int) {
        self.storage = storage
        position = start
        self.end = end
    }

    /// Bytes not yet consumed.
    package var remaining: Int { end - position }
    package var isAtEnd: Bool { position >= end }

    /// Fails when unread bytes remain.
    package func finish(_ field: String) throws(MLSCodecError) {
        if position != end { throw .trailingBytes(field: field, count: end - position) }
    }

    private mutating func take(_ count: Int, _ field: String) throws(MLSCodecError) -> Range<Int> {
        guard count >= 0, count <= end - position else {
            throw .truncated(field: field, needed: count - (end - position))
        }
        let range = position..<(position + count)
        position += count
        return range
    }

    package mutating func u8(_ field: String) throws(MLSCodecError) -> UInt8 {
        let r = try take(1, field)
        return storage[r.lowerBound]
    }

    package mutating func u16(_ field: String) throws(MLSCodecError) -> UInt16 {
        let r = try take(2, field)
        return UInt16(storage[r.lowerBound]) << 8 | UInt16(storage[r.lowerBound + 1])
    }

    package mutating func u32(_ field: String) throws(MLSCodecError) -> UInt32 {
        let r = try take(4, field)
        var v: UInt32 = 0
        for i in r { v = v << 8 | UInt32(storage[i]) }
        return v
    }

    package mutating func u64(_ field: String) throws(MLSCodecError) -> UInt64 {
        let r = try take(8, field)
        var v: UInt64 = 0
        for i in r { v = v << 8 | UInt64(storage[i]) }
        return v
    }

    /// RFC 9420 §2.1.2 variable-length integer; the `11` prefix and non-minimal forms are rejected.
    package mutating func varint(_ field: String) throws(MLSCodecError) -> Int {
        let first = try u8(field)
        let prefix = first >> 6
        var value = Int(first & 0x3f)
        switch prefix {
        case 0:
            return value
        case 1:
            value = value << 8 | Int(try u8(field))
            if value < 0x40 { throw .invalidVarint(field: field) }
        case 2:
            for _ in 0..<3 { value = value << 8 | Int(try u8(field)) }
            if value < 0x4000 { throw .invalidVarint(field: field) }
        default:
            throw .invalidVarint(field: field)
        }
        return value
    }

    package mutating func raw(_ count: Int, _ field: String) throws(MLSCodecError) -> [UInt8] {
        Array(storage[try take(count, field)])
    }

    /// `opaque data<V>`.
    package mutating func opaque(_ field: String) throws(MLSCodecError) -> [UInt8] {
        let length = try varint(field)
        return Array(storage[try take(length, field)])
    }

    /// A reader over the body of a `<V>` vector; the body must be consumed completely by the caller.
    package mutating func vectorBody(_ field: String) throws(MLSCodecError) -> TLSReader {
        let length = try varint(field)
        let r = try take(length, field)
        return TLSReader(storage: storage, start: r.lowerBound, end: r.upperBound)
    }

    /// A `<V>` vector of elements decoded by `element` until its body is exhausted.
    package mutating func vector<T>(
        _ field: String, _ element: (inout TLSReader) throws(MLSCodecError) -> T
    ) throws(MLSCodecError) -> [T] {
        var body = try vectorBody(field)
        var items: [T] = []
        while !body.isAtEnd {
            let before = body.position
            items.append(try element(&body))
            // An element that consumes nothing would loop forever on hostile input.
            if body.position == before { throw .invalidValue(field: field, reason: "empty vector element") }
        }
        return items
    }

    package mutating func vector<T: MLSDecodable>(_ field: String, of: T.Type = T.self) throws(MLSCodecError) -> [T] {
        try vector(field) { (r: inout TLSReader) throws(MLSCodecError) in try T(from: &r) }
    }

    /// `optional<T>` presence flag; anything but 0 or 1 is an error.
    package mutating func presence(_ field: String) throws(MLSCodecError) -> Bool {
        switch try u8(field) {
        case 0: return false
        case 1: return true
        case let v: throw .invalidValue(field: field, reason: "optional flag \(v)")
        }
    }

    package mutating func optional<T: MLSDecodable>(_ field: String, of: T.Type = T.self) throws(MLSCodecError) -> T? {
        try presence(field) ? try T(from: &self) : nil
    }

    package mutating func decode<T: MLSDecodable>(_ type: T.Type = T.self) throws(MLSCodecError) -> T {
        try T(from: &self)
    }
}
