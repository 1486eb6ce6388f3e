import Foundation

/// lavaplayer's encoded-track layout (the reference's §1.5): v3 written, v1–v3 read, with the
/// `http`/`local` probe trailer. Kept behind these two functions so the shared
/// `LavalinkProtocol` codec can replace it in one place.
package enum TrackCodec {
    /// Why a string is not a track this node can play; Lavalink answers such strings with 500.
    package struct DecodeError: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    /// Standard padded base64 of header + v3 message, without `finish()`'s trailing zero int.
    package static func encode(_ info: TrackInfo) -> String {
        var body: [UInt8] = [3]
        writeUTF(info.title, into: &body)
        writeUTF(info.author, into: &body)
        writeInt64(info.length, into: &body)
        writeUTF(info.identifier, into: &body)
        body.append(info.isStream ? 1 : 0)
        writeNullable(info.uri, into: &body)
        writeNullable(info.artworkUrl, into: &body)
        writeNullable(info.isrc, into: &body)
        writeUTF(info.sourceName, into: &body)
        if hasProbe(info.sourceName) { writeUTF(info.probeInfo ?? "", into: &body) }
        writeInt64(info.position, into: &body)
        let header = UInt32(body.count) | (1 << 30)
        let bytes = [UInt8(header >> 24), UInt8(header >> 16 & 0xFF), UInt8(header >> 8 & 0xFF), UInt8(header & 0xFF)] + body
        return Data(bytes).base64EncodedString()
    }

    package static func decode(_ base64: String) throws(DecodeError) -> TrackInfo {
        // A '+' that was not percent-encoded in a query arrives as a space.
        let text = base64.replacingOccurrences(of: " ", with: "+")
        guard let data = Data(base64Encoded: text, options: .ignoreUnknownCharacters) ?? Data(base64Encoded: text + "=")
            ?? Data(base64Encoded: text + "==")
        else { throw DecodeError(reason: "Invalid base64") }
        var reader = Reader(bytes: Array(data))
        let header = try reader.uint32()
        let flags = header >> 30
        let size = Int(header & 0x3FFF_FFFF)
        guard size <= reader.remaining else { throw DecodeError(reason: "Message shorter than its header says") }
        let version = flags & 1 == 1 ? Int(try reader.byte()) : 1
        guard (1...3).contains(version) else { throw DecodeError(reason: "Unsupported track version \(version)") }
        let title = try reader.utf()
        let author = try reader.utf()
        let length = try reader.int64()
        let identifier = try reader.utf()
        let isStream = try reader.byte() != 0
        let uri = version >= 2 ? try reader.nullable() : nil
        let artwork = version >= 3 ? try reader.nullable() : nil
        let isrc = version >= 3 ? try reader.nullable() : nil
        let source = try reader.utf()
        var probe: String?
        switch source {
        case "http", "local": probe = try reader.utf()
        case "youtube", "soundcloud", "bandcamp", "twitch", "vimeo", "ytdlp": break
        default:
            // Unknown source details (a plugin's): the position is the last 8 bytes of the message.
            reader.index = 4 + size - 8
        }
        let position = try reader.int64()
        return TrackInfo(title: title, author: author, length: length, identifier: identifier, isStream: isStream,
                         uri: uri, artworkUrl: artwork, isrc: isrc, sourceName: source, probeInfo: probe, position: position)
    }

    static func hasProbe(_ source: String) -> Bool { source == "http" || source == "local" }

    // MARK: Java DataOutput

    static func writeUTF(_ text: String, into out: inout [UInt8]) {
        var bytes: [UInt8] = []
        for unit in text.utf16 {
            switch unit {
            case 0x0001...0x007F: bytes.append(UInt8(unit))
            case 0x0000, 0x0080...0x07FF:
                bytes.append(UInt8(0xC0 | (unit >> 6)))
                bytes.append(UInt8(0x80 | (unit & 0x3F)))
            default:
                bytes.append(UInt8(0xE0 | (unit >> 12)))
                bytes.append(UInt8(0x80 | ((unit >> 6) & 0x3F)))
                bytes.append(UInt8(0x80 | (unit & 0x3F)))
            }
        }
        // writeUTF refuses more than 65535 bytes; a title that long is cut, not fatal.
        if bytes.count > 0xFFFF { return writeUTF(String(text.prefix(text.count / 2)), into: &out) }
        out.append(UInt8(bytes.count >> 8))
        out.append(UInt8(bytes.count & 0xFF))
        out += bytes
    }

    static func writeNullable(_ text: String?, into out: inout [UInt8]) {
        if let text {
            out.append(1)
            writeUTF(text, into: &out)
        } else {
            out.append(0)
        }
    }

    static func writeInt64(_ value: Int64, into out: inout [UInt8]) {
        let bits = UInt64(bitPattern: value)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(bits >> UInt64(shift) & 0xFF)) }
    }

    struct Reader {
        let bytes: [UInt8]
        var index = 0
        var remaining: Int { bytes.count - index }

        mutating func byte() throws(DecodeError) -> UInt8 {
            guard index < bytes.count else { throw DecodeError(reason: "Unexpected end of track data") }
            defer { index += 1 }
            return bytes[index]
        }

        mutating func uint32() throws(DecodeError) -> UInt32 {
            var value: UInt32 = 0
            for _ in 0..<4 { value = value << 8 | UInt32(try byte()) }
            return value
        }

        mutating func int64() throws(DecodeError) -> Int64 {
            var value: UInt64 = 0
            for _ in 0..<8 { value = value << 8 | UInt64(try byte()) }
            return Int64(bitPattern: value)
        }

        mutating func nullable() throws(DecodeError) -> String? { try byte() == 0 ? nil : try utf() }

        /// Java modified UTF-8 back to a string (surrogate pairs rejoin through UTF-16).
        mutating func utf() throws(DecodeError) -> String {
            let length = Int(try byte()) << 8 | Int(try byte())
            guard length <= remaining else { throw DecodeError(reason: "Unexpected end of track data") }
            var units: [UInt16] = []
            let end = index + length
            while index < end {
                let first = UInt16(try byte())
                if first & 0x80 == 0 {
                    units.append(first)
                } else if first & 0xE0 == 0xC0 {
                    let second = UInt16(try byte())
                    units.append((first & 0x1F) << 6 | (second & 0x3F))
                } else if first & 0xF0 == 0xE0 {
                    let second = UInt16(try byte()), third = UInt16(try byte())
                    units.append((first & 0x0F) << 12 | (second & 0x3F) << 6 | (third & 0x3F))
                } else {
                    throw DecodeError(reason: "Malformed modified UTF-8")
                }
            }
            return String(decoding: units, as: UTF16.self)
        }
    }
}
