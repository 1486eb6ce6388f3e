import Foundation
import Synchronization

/// The server's UDP port: a blocking socket on its own thread, so arrival times are taken the
/// moment the kernel hands a datagram over. Answers IP discovery; passes media to `onMedia`.
final class SimUDPReceiver: @unchecked Sendable {
    let descriptor: Int32
    let port: Int
    private let running = Atomic<Bool>(false)
    private var thread: Thread?
    private let onMedia: @Sendable ([UInt8], UInt64) -> Void
    private let onDiscovery: @Sendable () -> Void

    init(host: String, onDiscovery: @escaping @Sendable () -> Void,
         onMedia: @escaping @Sendable ([UInt8], UInt64) -> Void) throws(SimError)
    {
        self.onMedia = onMedia
        self.onDiscovery = onDiscovery
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_DGRAM, 0)
        #endif
        guard fd >= 0 else { throw .socket("socket", errno) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, host, &address.sin_addr)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { close(fd); throw .socket("bind", errno) }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size: Int32 = 1 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func start() {
        running.store(true, ordering: .releasing)
        let thread = Thread { [self] in run() }
        thread.name = "voice-sim.udp"
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    func stop() { running.store(false, ordering: .releasing) }

    deinit { close(descriptor) }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var from = sockaddr_in()
        while running.load(ordering: .acquiring) {
            var fromLength = socklen_t(MemoryLayout<sockaddr_in>.size)
            let count = buffer.withUnsafeMutableBytes { bytes in
                withUnsafeMutablePointer(to: &from) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                        recvfrom(descriptor, bytes.baseAddress, bytes.count, 0, $0, &fromLength)
                    }
                }
            }
            guard count > 0 else { continue }
            let arrival = SimClock.nanoseconds()
            if count == 74, buffer[0] == 0, buffer[1] == 1 {
                answerDiscovery(Array(buffer[0..<74]), to: from)
                onDiscovery()
                continue
            }
            onMedia(Array(buffer[0..<count]), arrival)
        }
    }

    private func answerDiscovery(_ request: [UInt8], to peer: sockaddr_in) {
        var reply = [UInt8](repeating: 0, count: 74)
        reply[1] = 2
        reply[3] = 70
        reply.replaceSubrange(4..<8, with: request[4..<8])
        var peer = peer
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        inet_ntop(AF_INET, &peer.sin_addr, &text, socklen_t(INET_ADDRSTRLEN))
        let address = text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        reply.replaceSubrange(8..<(8 + address.count), with: address)
        let port = UInt16(bigEndian: peer.sin_port)
        reply[72] = UInt8(port >> 8)
        reply[73] = UInt8(port & 0xFF)
        _ = withUnsafePointer(to: &peer) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                sendto(descriptor, reply, reply.count, 0, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
    }
}

/// Monotonic nanoseconds, the clock arrival times are measured on.
public enum SimClock {
    public static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// Why the simulator could not start.
public enum SimError: Error, CustomStringConvertible {
    case socket(String, Int32)
    case bind(String)

    public var description: String {
        switch self {
        case let .socket(call, code): "voice sim: \(call) failed (errno \(code))"
        case let .bind(why): "voice sim: cannot listen: \(why)"
        }
    }
}
