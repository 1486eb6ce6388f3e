/// A cursor over one lavaplayer message body, reading Java `DataInput` primitives big-endian.
struct MessageReader {
    let bytes: [UInt8]
    /// Where reading stops: the start of the trailing `position` long.
    let end: Int
    private(set) var offset = 0

    init(_ bytes: [UInt8], end: Int) {
        self.bytes = bytes
        self.end = end
    }

    private mutating func take(_ count: Int, _ field: String) throws(TrackCodecError) -> ArraySlice<UInt8> {
        guard count <= end - offset else { throw .truncated(field: field, offset: offset) }
        defer { offset += count }
        return bytes[offset..<offset + count]
    }

    mutating func byte(_ field: String) throws(TrackCodecError) -> UInt8 {
        try take(1, field).first!
    }

    /// `readBoolean`: any byte but zero is true, as in Java.
    mutating func bool(_ field: String) throws(TrackCodecError) -> Bool {
        try byte(field) != 0
    }

    mutating func int64(_ field: String) throws(TrackCodecError) -> Int64 {
        try take(8, field).reduce(0) { ($0 << 8) | Int64($1) }
    }

    mutating func utf(_ field: String) throws(TrackCodecError) -> String {
        let start = offset
        let length = try take(2, field).reduce(0) { ($0 << 8) | Int($1) }
        guard length <= end - offset else { throw .truncated(field: field, offset: start) }
        let text = try take(length, field)
        guard let string = ModifiedUTF8.decode(text) else { throw .malformedString(field: field, offset: start) }
        return string
    }

    /// lavaplayer's `DataFormatTools.readNullableText`: a presence boolean, then `readUTF`.
    mutating func nullableUTF(_ field: String) throws(TrackCodecError) -> String? {
        try bool(field) ? try utf(field) : nil
    }

    /// The bytes left before `end`.
    mutating func rest() -> [UInt8] {
        defer { offset = end }
        return Array(bytes[offset..<end])
    }
}

/// Builds one message body with Java `DataOutput` primitives big-endian.
struct MessageWriter {
    private(set) var bytes: [UInt8] = []

    mutating func byte(_ value: UInt8) { bytes.append(value) }

    mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

    mutating func int64(_ value: Int64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(truncatingIfNeeded: value >> shift)) }
    }

    mutating func utf(_ string: String, _ field: String) throws(TrackCodecError) {
        let encoded = ModifiedUTF8.encode(string)
        guard encoded.count <= 0xFFFF else { throw .stringTooLong(field: field, bytes: encoded.count) }
        bytes.append(UInt8(encoded.count >> 8))
        bytes.append(UInt8(encoded.count & 0xFF))
        bytes += encoded
    }

    mutating func nullableUTF(_ string: String?, _ field: String) throws(TrackCodecError) {
        bool(string != nil)
        if let string { try utf(string, field) }
    }

    mutating func raw(_ data: [UInt8]) { bytes += data }
}
