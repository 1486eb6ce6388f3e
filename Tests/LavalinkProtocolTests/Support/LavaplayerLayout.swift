import Foundation

/// Builds encoded-track bytes by hand from the layout table (reference §1.5), independently of
/// the codec's writer, so the tests check the codec against the layout and not against itself.
struct LavaplayerLayout {
    var body: [UInt8] = []

    /// Text as `writeUTF` writes it; `bytes` lets a test give non-ASCII as exact Java output.
    mutating func utf(_ text: String = "", bytes: [UInt8]? = nil) {
        let payload = bytes ?? Array(text.utf8)
        body += [UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)] + payload
    }

    mutating func nullable(_ text: String?) {
        if let text {
            body.append(1)
            utf(text)
        } else {
            body.append(0)
        }
    }

    mutating func long(_ value: Int64) {
        body += (0..<8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }

    mutating func byte(_ value: UInt8) { body.append(value) }

    /// Header `size | flags << 30` (size overridable to build wrong ones) plus the body.
    func message(flags: UInt32 = 1, size: Int? = nil, trailer: [UInt8] = []) -> [UInt8] {
        let header = UInt32(size ?? body.count) | flags << 30
        return [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: header >> $0) } + body + trailer
    }

    func base64(flags: UInt32 = 1, size: Int? = nil, trailer: [UInt8] = []) -> String {
        Data(message(flags: flags, size: size, trailer: trailer)).base64EncodedString()
    }

    /// A whole track of `version` (1 writes no version byte and no flag), fields in table order.
    static func track(
        version: Int, title: String = "Tone", author: String = "Cadence", length: Int64 = 3000,
        identifier: String = "http://127.0.0.1:8000/a.ogg", isStream: Bool = false,
        uri: String? = "http://127.0.0.1:8000/a.ogg", artworkUrl: String? = nil, isrc: String? = nil,
        source: String = "http", probe: String? = "ogg", position: Int64 = 0
    ) -> String {
        var layout = LavaplayerLayout()
        if version > 1 { layout.byte(UInt8(version)) }
        layout.utf(title)
        layout.utf(author)
        layout.long(length)
        layout.utf(identifier)
        layout.byte(isStream ? 1 : 0)
        if version >= 2 { layout.nullable(uri) }
        if version >= 3 {
            layout.nullable(artworkUrl)
            layout.nullable(isrc)
        }
        layout.utf(source)
        if let probe { layout.utf(probe) }
        layout.long(position)
        return layout.base64(flags: version > 1 ? 1 : 0)
    }
}
