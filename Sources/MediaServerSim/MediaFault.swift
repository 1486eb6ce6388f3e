/// A way the local media server misbehaves, as the real internet does. Byte offsets count from
/// the start of the file, whatever Range a request asked for.
package enum MediaFault: Sendable, Equatable {
    /// Close the connection once, when the response reaches byte `byte`.
    case dropConnection(atByte: Int)
    /// Stop sending for `seconds` once, at byte `byte`, keeping the connection open.
    case stall(atByte: Int, seconds: Double)
    /// Close at byte `byte` and answer 403 to the same URL from then on, as an expired signed
    /// URL does; a URL with a fresh token (`MediaServer.freshURL`) works again.
    case expireURL(afterByte: Int)
    /// Overwrite `count` bytes at `byte` with garbage, in every response.
    case corrupt(atByte: Int, count: Int)
    /// Announce a Content-Length `missing` bytes short of the truth in the first response.
    case shortContentLength(missing: Int)
    /// Once, from byte `byte`, send only `bytesPerSecond` for `seconds`: bytes keep coming, so
    /// no read times out, but far too few to decode (a CDN node that is dying).
    case trickle(atByte: Int, seconds: Double, bytesPerSecond: Int)
    /// Send no faster than `bytesPerSecond`.
    case bandwidth(bytesPerSecond: Int)
}
