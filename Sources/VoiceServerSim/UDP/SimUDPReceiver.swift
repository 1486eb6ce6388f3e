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

    init(
        host: String, onDiscovery: @escaping @Sendable () -> Void,
        onMedia: @escaping @Sendable ([UInt8], UInt64) -> Void
    ) throws(SimError) {
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
        guard bound == 0 else {
            close(fd)
            throw .socket("bind", errno)
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size: Int32 = 1 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        // Kernel receive timestamps: arrival times that do not depend on when this thread runs.
        var on: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, socklen_t(MemoryLayout<Int32>.size))
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func start() {
        running.store(true, ordering: .releasing)
        let thread = Thread { [self] in
            Self.nameCurrentThread("voice-sim.udp")
            run()
        }
        thread.name = "voice-sim.udp"
        thread.qualityOfService = .userInteractive
        self.thread = thread
        thread.start()
    }

    func stop() { running.store(false, ordering: .releasing) }

    /// Foundation's `Thread.name` does not reach the kernel on Linux; the benchmark finds this
    /// thread by its kernel name (/proc/self/task/*/comm) to take its CPU out of the client's bill.
    private static func nameCurrentThread(_ name: String) {
        let descriptor = open("/proc/thread-self/comm", O_WRONLY)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        let bytes = Array(name.utf8.prefix(15))
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }

    deinit { close(descriptor) }

    private func run() {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var control = [UInt8](repeating: 0, count: 256)
        var from = sockaddr_in()
        while running.load(ordering: .acquiring) {
            var kernelTime: timespec?
            let count = buffer.withUnsafeMutableBytes { bytes in
                control.withUnsafeMutableBytes { control in
                    withUnsafeMutablePointer(to: &from) { from in
                        var vector = iovec(iov_base: bytes.baseAddress, iov_len: bytes.count)
                        return withUnsafeMutablePointer(to: &vector) { vector in
                            var message = msghdr(
                                msg_name: UnsafeMutableRawPointer(from),
                                msg_namelen: socklen_t(MemoryLayout<sockaddr_in>.size),
                                msg_iov: vector, msg_iovlen: 1, msg_control: control.baseAddress,
                                msg_controllen: control.count, msg_flags: 0)
                            let count = recvmsg(descriptor, &message, 0)
                            if count > 0 { kernelTime = Self.timestamp(in: control, length: Int(message.msg_controllen)) }
                            return count
                        }
                    }
                }
            }
            guard count > 0 else { continue }
            let arrival = Self.monotonic(fromRealtime: kernelTime)
            if count == 74, buffer[0] == 0, buffer[1] == 1 {
                answerDiscovery(Array(buffer[0..<74]), to: from)
                onDiscovery()
                continue
            }
            onMedia(Array(buffer[0..<count]), arrival)
        }
    }

    /// The SCM_TIMESTAMPNS control message's time, if present (Linux layout: a 16-byte
    /// cmsghdr, then the timespec).
    private static func timestamp(in control: UnsafeMutableRawBufferPointer, length: Int) -> timespec? {
        var offset = 0
        while offset + 16 <= length {
            let size = control.load(fromByteOffset: offset, as: Int.self)
            let level = control.load(fromByteOffset: offset + 8, as: Int32.self)
            let type = control.load(fromByteOffset: offset + 12, as: Int32.self)
            if level == SOL_SOCKET, type == SO_TIMESTAMPNS, offset + 16 + MemoryLayout<timespec>.size <= length {
                return control.loadUnaligned(fromByteOffset: offset + 16, as: timespec.self)
            }
            guard size > 0 else { return nil }
            offset += (size + 7) & ~7
        }
        return nil
    }

    /// Maps a kernel (realtime) timestamp onto the monotonic clock the rest of the server uses.
    private static func monotonic(fromRealtime stamp: timespec?) -> UInt64 {
        let now = SimClock.nanoseconds()
        guard let stamp else { return now }
        var real = timespec()
        clock_gettime(CLOCK_REALTIME, &real)
        let realNow = Int64(real.tv_sec) * 1_000_000_000 + Int64(real.tv_nsec)
        let arrived = Int64(stamp.tv_sec) * 1_000_000_000 + Int64(stamp.tv_nsec)
        let age = max(0, realNow - arrived)
        return now &- UInt64(age)
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
package enum SimClock {
    package static func nanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }
}

/// Why the simulator could not start.
package enum SimError: Error, CustomStringConvertible {
    case socket(String, Int32)
    case bind(String)

    package var description: String {
        switch self {
        case let .socket(call, code): "voice sim: \(call) failed (errno \(code))"
        case let .bind(why): "voice sim: cannot listen: \(why)"
        }
    }
}
