import Foundation

/// Decides which inputs may be played at all: http and https only (files when allowed), and
/// no host that resolves into loopback, private, link-local, CGNAT or cloud-metadata ranges,
/// so a chat message cannot make the bot fetch from inside its own network.
///
/// libavformat follows HTTP redirects itself: a `TrackSource`'s `allowsLocation` runs this
/// check on where they ended (at most 3 hops), and the track fails before anything from a
/// refused place is decoded. The redirected request itself has been made by then.
package struct SourcePolicy: Sendable {
    package var allowPrivateNetwork: Bool
    package var allowFiles: Bool
    /// Longest track accepted, seconds (3 h by default).
    package var maxDurationSeconds: Double

    package init(allowPrivateNetwork: Bool = false, allowFiles: Bool = false, maxDurationSeconds: Double = 3 * 3600) {
        self.allowPrivateNetwork = allowPrivateNetwork
        self.allowFiles = allowFiles
        self.maxDurationSeconds = maxDurationSeconds
    }

    /// `CADENCE_ALLOW_PRIVATE_NETWORK=1` turns the private-network check off.
    package static func fromEnvironment() -> SourcePolicy {
        SourcePolicy(allowPrivateNetwork: ProcessInfo.processInfo.environment["CADENCE_ALLOW_PRIVATE_NETWORK"] == "1")
    }

    /// Checks a URL the engine is about to open. Plain words (searches) pass: they are not URLs.
    package func check(url string: String) throws(ResolverError) {
        guard let url = URL(string: string), let scheme = url.scheme?.lowercased() else { return }
        if scheme == "file" {
            guard allowFiles else { throw .schemeNotAllowed(string) }
            return
        }
        guard scheme == "http" || scheme == "https" else { throw .schemeNotAllowed(string) }
        guard let host = url.host, !host.isEmpty else { throw .unknownHost(string) }
        if allowPrivateNetwork { return }
        for address in try Self.addresses(of: host) where Self.isPrivate(address) {
            throw .privateAddress(host: host, address: address)
        }
    }

    package func check(duration seconds: Double?, input: String) throws(ResolverError) {
        if let seconds, seconds > maxDurationSeconds { throw .tooLong(input: input, seconds: seconds, limit: maxDurationSeconds) }
    }

    /// Every address `host` resolves to (getaddrinfo), as text.
    static func addresses(of host: String) throws(ResolverError) -> [String] {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let trimmed = host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host
        guard getaddrinfo(trimmed, nil, &hints, &list) == 0, let first = list else { throw .unknownHost(host) }
        defer { freeaddrinfo(list) }
        var result: [String] = []
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let entry = node {
            var buffer = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            if getnameinfo(entry.pointee.ai_addr, entry.pointee.ai_addrlen, &buffer, socklen_t(buffer.count), nil, 0, NI_NUMERICHOST) == 0 {
                result.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
            }
            node = entry.pointee.ai_next
        }
        return result
    }

    /// Loopback, RFC 1918, link-local (incl. 169.254.169.254 metadata), CGNAT, unspecified,
    /// and their IPv6 counterparts (::1, fc00::/7, fe80::/10, IPv4-mapped).
    static func isPrivate(_ address: String) -> Bool {
        let lower = address.lowercased()
        if lower.contains(":") {
            if lower == "::1" || lower == "::" { return true }
            if lower.hasPrefix("fc") || lower.hasPrefix("fd") || lower.hasPrefix("fe8") || lower.hasPrefix("fe9")
                || lower.hasPrefix("fea") || lower.hasPrefix("feb")
            {
                return true
            }
            if lower.hasPrefix("::ffff:") { return isPrivate(String(lower.dropFirst(7))) }
            return false
        }
        let parts = lower.split(separator: ".").compactMap { Int($0) }
        guard parts.count == 4 else { return true }  // unparseable: refuse
        switch (parts[0], parts[1]) {
        case (10, _), (127, _), (0, _), (169, 254), (192, 168): return true
        case (172, 16...31), (100, 64...127): return true
        default: return parts[0] >= 224  // multicast and reserved
        }
    }
}
