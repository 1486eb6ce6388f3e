/// One track as lavaplayer's binary message carries it: the fields of ``TrackInfo`` (all but
/// `isSeekable`, which the binary does not hold) and the source's own details. It is what the
/// base64 `encoded` string of a Lavalink track means; ``TrackCodec`` converts between the two.
///
/// Only lavaplayer's fields belong here. Cadence's own data (resolver keys, loudness) goes in the
/// track's `pluginInfo`, so strings stay readable by Lavalink nodes and by clients that decode them.
package struct EncodedTrack: Sendable, Equatable {
    /// Title, author, length, identifier, stream flag, uri, artwork, ISRC, source and start position.
    /// On decode `isSeekable` is set to `!isStream`, as lavalink.py and Lavalink's http tracks have it.
    package var info: TrackInfo
    /// What the source wrote between `sourceName` and `position`.
    package var sourceDetails: SourceDetails
    /// The version the string was written with (1–3). Encoding always writes version 3.
    package var version: Int

    package init(info: TrackInfo, sourceDetails: SourceDetails, version: Int = TrackCodec.writtenVersion) {
        self.info = info
        self.sourceDetails = sourceDetails
        self.version = version
    }
}

/// The per-source bytes of an encoded track (lavaplayer's `AudioSourceManager.encodeTrack`).
package enum SourceDetails: Sendable, Equatable {
    /// The source writes nothing (youtube, soundcloud, bandcamp, …), or a lavalink.py string
    /// written without a probe.
    case none
    /// `http` and `local`: the container probe, e.g. `mp3`, `ogg`, `matroska/webm`, optionally
    /// followed by `|parameters` (lavaplayer's `MediaContainerDescriptor`).
    case probe(String)
    /// Any other source's bytes (LavaSrc's fields, plugins), kept verbatim so a track from another
    /// node re-encodes byte for byte even though Cadence cannot read them.
    case opaque([UInt8])

    /// The sources whose details are one probe string.
    package static let probingSources: Set<String> = ["http", "local"]
}
