import Foundation

/// A plain IPv4 UDP socket aimed at one voice server. Sending never blocks (the socket is
/// non-blocking), so the pacer thread can call `send` directly; receiving is only used for IP
/// discovery, with `poll` bounding the wait.
package final class UDPSocket: @unchecked Sendable {
    let descriptor: Int32
    /// Written once in `init`, read by every `send` (`RTPSender.swift`).
    var destination = sockaddr_in()
    package let host: String
    package let port: Int

    package init(host: String, port: Int) throws(VoiceError) {
        self.host = host
        self.port = port
        guard (1...65535).contains(port) else { throw .badEndpoint("\(host):\(port)") }
        destination.sin_family = sa_family_t(AF_INET)
        destination.sin_port = in_port_t(UInt16(port).bigEndian)
        guard inet_pton(AF_INET, host, &destination.sin_addr) == 1 else {
            throw .badEndpoint("UDP address '\(host)' is not IPv4")
        }
        #if canImport(Glibc)
            let kind = Int32(SOCK_DGRAM.rawValue)
        #else
            let kind = SOCK_DGRAM
        #endif
        let fd = socket(AF_INET, kind, 0)
        guard fd >= 0 else { throw .socket(call: "socket", errno: errno) }
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        descriptor = fd
    }

    deinit { close(descriptor) }

    /// Waits up to `timeout` seconds for one datagram. Blocks the calling thread.
    func receive(into buffer: UnsafeMutableRawBufferPointer, timeout: Double) throws(VoiceError) -> Int? {
        var waiter = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let remaining = Int32(max(0, deadline.timeIntervalSinceNow) * 1000)
            let ready = poll(&waiter, 1, remaining)
            if ready < 0, errno == EINTR { continue }
            guard ready > 0 else { return nil }
            let count = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw .socket(call: "recv", errno: errno)
            }
            return count
        }
    }
}
