import LavalinkProtocol

/// The node's two uses of lavaplayer's encoded-track layout, over the shared
/// `LavalinkProtocol` codec: v3 written, v1–v3 read, the `http`/`local` probe trailer, and
/// other sources' details kept as they came.
package enum TrackCodec {
    /// Why a string is not a track this node can play; Lavalink answers such strings with 500.
    package struct DecodeError: Error, Sendable, CustomStringConvertible {
        package var reason: String
        package var description: String { reason }
    }

    /// Standard padded base64 of header + v3 message, without `finish()`'s trailing zero int.
    package static func encode(_ info: TrackInfo) -> String {
        let details: SourceDetails =
            LavalinkProtocol.SourceDetails.probingSources.contains(info.sourceName)
            ? .probe(info.probeInfo ?? "plain") : .none
        let protocolInfo = LavalinkProtocol.TrackInfo(
            identifier: info.identifier, isSeekable: !info.isStream, author: info.author, length: info.length,
            isStream: info.isStream, position: info.position, title: info.title, uri: info.uri,
            artworkUrl: info.artworkUrl, isrc: info.isrc, sourceName: info.sourceName)
        do {
            return try LavalinkProtocol.TrackCodec.encode(EncodedTrack(info: protocolInfo, sourceDetails: details))
        } catch {
            // Only a field over 64 KiB gets here; such a title is cut rather than the track lost.
            var shorter = info
            shorter.title = String(info.title.prefix(1000))
            shorter.author = String(info.author.prefix(1000))
            return encode(shorter)
        }
    }

    package static func decode(_ base64: String) throws(DecodeError) -> TrackInfo {
        // A '+' that was not percent-encoded in a query arrives as a space.
        let text = base64.replacingOccurrences(of: " ", with: "+")
        let track: EncodedTrack
        do {
            track = try LavalinkProtocol.TrackCodec.decode(text)
        } catch {
            throw DecodeError(reason: error.description)
        }
        let info = track.info
        var probe: String?
        if case let .probe(value) = track.sourceDetails { probe = value }
        return TrackInfo(
            title: info.title, author: info.author, length: info.length, identifier: info.identifier,
            isStream: info.isStream, uri: info.uri, artworkUrl: info.artworkUrl, isrc: info.isrc,
            sourceName: info.sourceName, probeInfo: probe, position: info.position)
    }
}
