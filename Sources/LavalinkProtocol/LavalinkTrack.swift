/// Lavalink's `Track` JSON: `{encoded, info, pluginInfo, userData}`. `pluginInfo` and `userData`
/// are always encoded (`{}` when empty), as Lavalink's `@EncodeDefault` does; a decoded track
/// without them gets `{}`.
package struct LavalinkTrack: Codable, Sendable, Equatable {
    /// lavaplayer's base64 message (``TrackCodec``).
    package var encoded: String
    package var info: TrackInfo
    /// Source or node data outside lavaplayer's fields; Cadence keeps its own data here.
    package var pluginInfo: LavalinkJSON
    /// Whatever the client attached with `track.userData`, returned unchanged.
    package var userData: LavalinkJSON

    package init(
        encoded: String, info: TrackInfo, pluginInfo: LavalinkJSON = .emptyObject,
        userData: LavalinkJSON = .emptyObject
    ) {
        self.encoded = encoded
        self.info = info
        self.pluginInfo = pluginInfo
        self.userData = userData
    }

    /// The JSON track for `track`, with its freshly encoded string.
    package init(
        _ track: EncodedTrack, pluginInfo: LavalinkJSON = .emptyObject,
        userData: LavalinkJSON = .emptyObject
    ) throws(TrackCodecError) {
        self.init(encoded: try TrackCodec.encode(track), info: track.info, pluginInfo: pluginInfo, userData: userData)
    }

    /// The JSON track a client's `encoded` string stands for (`/v4/decodetrack`).
    package init(decoding encoded: String) throws(TrackCodecError) {
        self.init(encoded: encoded, info: try TrackCodec.decode(encoded).info)
    }

    private enum CodingKeys: String, CodingKey { case encoded, info, pluginInfo, userData }

    package init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        encoded = try container.decode(String.self, forKey: .encoded)
        info = try container.decode(TrackInfo.self, forKey: .info)
        pluginInfo = try container.decodeIfPresent(LavalinkJSON.self, forKey: .pluginInfo) ?? .emptyObject
        userData = try container.decodeIfPresent(LavalinkJSON.self, forKey: .userData) ?? .emptyObject
    }
}
