import Foundation

/// Reads and writes the base64 `encoded` string of a Lavalink track, byte for byte as lavaplayer
/// 2.x and Lavalink 4 do (`DefaultAudioPlayerManager.encodeTrack`/`decodeTrack`): a message header
/// (`size | flags << 30`), the version byte, the fields in modified UTF-8, the source's details
/// and the start position; no trailing end marker, standard padded base64.
///
/// Writes version 3; reads versions 1–3. Strings written here decode in Lavalink, and Lavalink's
/// decode here, including the source details of sources Cadence does not serve.
package enum TrackCodec {
    /// The version ``encode(_:)`` writes: 3, the one with `artworkUrl` and `isrc`.
    package static let writtenVersion = 3
    private static let versionedFlag: UInt32 = 1

    /// The base64 string Lavalink would give this track.
    package static func encode(_ track: EncodedTrack) throws(TrackCodecError) -> String {
        let info = track.info
        var body = MessageWriter()
        body.byte(UInt8(writtenVersion))
        try body.utf(info.title, "title")
        try body.utf(info.author, "author")
        body.int64(info.length)
        try body.utf(info.identifier, "identifier")
        body.bool(info.isStream)
        try body.nullableUTF(info.uri, "uri")
        try body.nullableUTF(info.artworkUrl, "artworkUrl")
        try body.nullableUTF(info.isrc, "isrc")
        try body.utf(info.sourceName, "sourceName")
        switch track.sourceDetails {
        case let .probe(probe): try body.utf(probe, "probe")
        case .none where SourceDetails.probingSources.contains(info.sourceName):
            throw .missingProbe(source: info.sourceName)
        case .none: break
        case let .opaque(bytes): body.raw(bytes)
        }
        body.int64(info.position)

        let size = body.bytes.count
        guard size <= 0x3FFF_FFFF else { throw .messageTooLarge(bytes: size) }
        let header = UInt32(size) | versionedFlag << 30
        let message = withUnsafeBytes(of: header.bigEndian) { Array($0) } + body.bytes
        return Data(message).base64EncodedString()
    }

    /// The track an encoded string describes. Accepts what Lavalink accepts: base64 with or
    /// without padding, and lavaplayer's optional trailing zero int after the message.
    package static func decode(_ base64: String) throws(TrackCodecError) -> EncodedTrack {
        let bytes = try base64Bytes(base64)
        guard bytes.count >= 4 else { throw .truncated(field: "header", offset: 0) }
        let header = bytes[0..<4].reduce(UInt32(0)) { ($0 << 8) | UInt32($1) }
        let flags = Int(header >> 30), declared = Int(header & 0x3FFF_FFFF)
        let available = bytes.count - 4
        let endMarker = available == declared + 4 && bytes.suffix(4).allSatisfy { $0 == 0 }
        guard available == declared || endMarker else { throw .sizeMismatch(declared: declared, available: available) }
        guard flags & ~Int(versionedFlag) == 0 else { throw .unsupportedFlags(flags) }

        let body = Array(bytes[4..<4 + declared])
        // The start position is always the message's last 8 bytes; everything between the
        // source name and it belongs to the source, whether or not Cadence knows that source.
        guard body.count >= 8 else { throw .truncated(field: "position", offset: 0) }
        var reader = MessageReader(body, end: body.count - 8)
        let version = flags & Int(versionedFlag) != 0 ? Int(try reader.byte("version")) : 1
        guard (1...3).contains(version) else { throw .unsupportedVersion(version) }

        let title = try reader.utf("title")
        let author = try reader.utf("author")
        let length = try reader.int64("length")
        let identifier = try reader.utf("identifier")
        let isStream = try reader.bool("isStream")
        let uri = version >= 2 ? try reader.nullableUTF("uri") : nil
        let artworkUrl = version >= 3 ? try reader.nullableUTF("artworkUrl") : nil
        let isrc = version >= 3 ? try reader.nullableUTF("isrc") : nil
        let sourceName = try reader.utf("sourceName")
        let details = try sourceDetails(reader.rest(), source: sourceName)
        let position = body.suffix(8).reduce(Int64(0)) { ($0 << 8) | Int64($1) }

        let info = TrackInfo(
            identifier: identifier, isSeekable: !isStream, author: author, length: length, isStream: isStream,
            position: position, title: title, uri: uri, artworkUrl: artworkUrl, isrc: isrc, sourceName: sourceName)
        return EncodedTrack(info: info, sourceDetails: details, version: version)
    }

    private static func sourceDetails(_ bytes: [UInt8], source: String) throws(TrackCodecError) -> SourceDetails {
        guard !bytes.isEmpty else { return .none }
        guard SourceDetails.probingSources.contains(source) else { return .opaque(bytes) }
        var reader = MessageReader(bytes, end: bytes.count)
        guard let probe = try? reader.utf("probe"), reader.offset == bytes.count else {
            throw .malformedSourceDetails(source: source, bytes: bytes.count)
        }
        return .probe(probe)
    }

    private static func base64Bytes(_ text: String) throws(TrackCodecError) -> [UInt8] {
        var padded = text
        // java.util.Base64's basic decoder takes unpadded input; Foundation's does not.
        if padded.utf8.count % 4 != 0, !padded.hasSuffix("=") {
            padded += String(repeating: "=", count: 4 - padded.utf8.count % 4)
        }
        guard let data = Data(base64Encoded: padded) else { throw .invalidBase64(characters: text.count) }
        return Array(data)
    }
}
