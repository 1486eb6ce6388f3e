/// Java's `DataOutput.writeUTF` text encoding, which lavaplayer uses for every string in an
/// encoded track: UTF-16 code units, each as 1–3 bytes; U+0000 as `C0 80`; characters outside
/// the BMP as two 3-byte surrogates (CESU-8), never as one 4-byte sequence.
package enum ModifiedUTF8 {
    /// The bytes `writeUTF` writes after its length prefix.
    package static func encode(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count)
        for unit in string.utf16 {
            switch unit {
            case 0x0001...0x007F:
                bytes.append(UInt8(unit))
            case 0x0000, 0x0080...0x07FF:
                bytes.append(0xC0 | UInt8(unit >> 6))
                bytes.append(0x80 | UInt8(unit & 0x3F))
            default:
                bytes.append(0xE0 | UInt8(unit >> 12))
                bytes.append(0x80 | UInt8((unit >> 6) & 0x3F))
                bytes.append(0x80 | UInt8(unit & 0x3F))
            }
        }
        return bytes
    }

    /// Reads what `writeUTF` wrote, as `DataInput.readUTF` does. It also takes two things Java
    /// would refuse, because real strings carry them: 4-byte UTF-8 sequences (lavalink.py's
    /// `encode_track` writes plain UTF-8) and lone surrogates (Java strings may hold them; Swift
    /// strings cannot, so they become U+FFFD). Returns nil for bytes no writer produces.
    package static func decode<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String? where Bytes.Index == Int {
        var units: [UInt16] = []
        units.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        let end = bytes.endIndex
        func continuation(_ at: Int) -> UInt32? {
            guard at < end, bytes[at] & 0xC0 == 0x80 else { return nil }
            return UInt32(bytes[at] & 0x3F)
        }
        while index < end {
            let lead = bytes[index]
            switch lead {
            case 0x00...0x7F:
                units.append(UInt16(lead))
                index += 1
            case 0xC0...0xDF:
                guard let second = continuation(index + 1) else { return nil }
                units.append(UInt16((UInt32(lead & 0x1F) << 6) | second))
                index += 2
            case 0xE0...0xEF:
                guard let second = continuation(index + 1), let third = continuation(index + 2) else { return nil }
                units.append(UInt16((UInt32(lead & 0x0F) << 12) | (second << 6) | third))
                index += 3
            case 0xF0...0xF4:
                guard let second = continuation(index + 1), let third = continuation(index + 2),
                    let fourth = continuation(index + 3)
                else { return nil }
                let scalar = (UInt32(lead & 0x07) << 18) | (second << 12) | (third << 6) | fourth
                guard (0x10000...0x10FFFF).contains(scalar) else { return nil }
                units.append(UInt16(0xD800 + ((scalar - 0x10000) >> 10)))
                units.append(UInt16(0xDC00 + ((scalar - 0x10000) & 0x3FF)))
                index += 4
            default:
                return nil
            }
        }
        return String(decoding: units, as: UTF16.self)
    }
}
