/// Why an input could not be turned into something playable. Each case says what to tell the user.
package enum ResolverError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The URL's scheme is not http or https (or a file, where files are not allowed).
    case schemeNotAllowed(String)
    /// The host resolves to loopback, private, link-local or metadata addresses.
    case privateAddress(host: String, address: String)
    /// The host name does not resolve.
    case unknownHost(String)
    /// yt-dlp found nothing, or refused the input; carries its last error line.
    case notFound(input: String, message: String)
    /// yt-dlp ran longer than allowed.
    case timedOut(input: String, seconds: Double)
    /// yt-dlp printed more than allowed.
    case outputTooLarge(input: String, bytes: Int)
    /// yt-dlp's answer was not the JSON expected.
    case malformedOutput(input: String, message: String)
    /// The track is longer than the configured limit.
    case tooLong(input: String, seconds: Double, limit: Double)
    /// yt-dlp could not be started.
    case toolMissing(String)

    package var description: String {
        switch self {
        case let .schemeNotAllowed(url): "only http and https links can be played: \(url)"
        case let .privateAddress(host, address): "\(host) points into a private network (\(address)); refused"
        case let .unknownHost(host): "unknown host \(host)"
        case let .notFound(input, message): "nothing playable found for \(input): \(message)"
        case let .timedOut(input, seconds): "resolving \(input) took longer than \(Int(seconds)) s"
        case let .outputTooLarge(input, bytes): "yt-dlp's answer for \(input) exceeded \(bytes) bytes"
        case let .malformedOutput(input, message): "could not read yt-dlp's answer for \(input): \(message)"
        case let .tooLong(input, seconds, limit): "\(input) is \(Int(seconds / 60)) min long; the limit is \(Int(limit / 60)) min"
        case let .toolMissing(message): "yt-dlp is not available: \(message)"
        }
    }
}
