/// What a track plays: a location libavformat opens, the HTTP headers it needs, and how to get
/// a fresh location when the old one expires (signed CDN URLs do, mid-song).
///
/// A plain path or URL is a `TrackSource` with no refresh; the resolver makes richer ones.
public struct TrackSource: Sendable, CustomStringConvertible {
    public var location: String
    public var httpHeaders: [String: String]
    /// Live streams have no duration and reconnect to the live edge, not to a position.
    public var isLive: Bool
    /// Called on the decoder thread after a 403/410 or a failed reopen; nil when the location
    /// cannot change.
    public var refresh: (@Sendable () async throws -> TrackSource)?
    /// Checks where libav's HTTP redirects ended up (the resolver passes its SSRF policy);
    /// false fails the track. nil accepts any location.
    public var allowsLocation: (@Sendable (String) -> Bool)?
    /// The track's measured loudness, if the caller has it (from an earlier play): with
    /// normalisation on, its gain then applies from the first sample instead of being estimated.
    public var loudness: TrackLoudness?

    public init(
        location: String, httpHeaders: [String: String] = [:], isLive: Bool = false,
        refresh: (@Sendable () async throws -> TrackSource)? = nil,
        allowsLocation: (@Sendable (String) -> Bool)? = nil, loudness: TrackLoudness? = nil
    ) {
        self.loudness = loudness
        self.location = location
        self.httpHeaders = httpHeaders
        self.isLive = isLive
        self.allowsLocation = allowsLocation
        self.refresh = refresh
    }

    /// Whether the location is fetched over the network, where faults are worth recovering from.
    public var isNetwork: Bool { Self.hasScheme("http://", location) || Self.hasScheme("https://", location) }

    /// A case-insensitive prefix test byte by byte: the decoder asks per packet, and lowercasing
    /// the location would allocate each time.
    private static func hasScheme(_ scheme: StaticString, _ location: String) -> Bool {
        var characters = location.utf8.makeIterator()
        for index in 0..<scheme.utf8CodeUnitCount {
            let wanted = scheme.utf8Start[index]
            guard let byte = characters.next() else { return false }
            let isLetter = wanted >= UInt8(ascii: "a") && wanted <= UInt8(ascii: "z")
            guard byte == wanted || (isLetter && byte == wanted - 0x20) else { return false }
        }
        return true
    }

    public var description: String { location }
}
