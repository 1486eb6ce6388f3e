import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A deliberately small WebSocket client over a blocking socket, so tests see what a Lavalink
/// client sees: the handshake's status and headers (`Session-Resumed`), every text frame in
/// order, pings, and the close code.
final class RawWebSocket: Sendable {
    struct Handshake: Sendable {
        var status: Int
        var headers: [String: String]
    }

    enum Incoming: Sendable, Equatable {
        case text(String)
        case close(code: Int)
        case pong
    }

    let handshake: Handshake
    let incoming: AsyncStream<Incoming>
    private let fd: Int32
    private let writeLock = Mutex(())

    /// Connects and upgrades on a thread of its own: the handshake blocks, and a blocked
    /// cooperative thread could starve the node that has to answer it.
    static func open(port: Int, headers: [String: String]) async throws -> RawWebSocket {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try RawWebSocket(port: port, headers: headers) }) }
            thread.name = "test.raw-websocket.open"
            thread.start()
        }
    }

    /// Connects and upgrades; throws only when nothing answers. A refused upgrade is a handshake with its status.
    private init(port: Int, path: String = "/v4/websocket", headers: [String: String]) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        self.fd = fd
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw POSIXError(.ECONNREFUSED)
        }
        var request = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        _ = Array(request.utf8).withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var head: [UInt8] = []
        var byte: UInt8 = 0
        while !head.ends(with: [13, 10, 13, 10]), recv(fd, &byte, 1, 0) == 1 { head.append(byte) }
        let lines = String(decoding: head, as: UTF8.self).components(separatedBy: "\r\n")
        let status = Int(lines.first?.split(separator: " ").dropFirst().first ?? "") ?? 0
        var fields: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            fields[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        handshake = Handshake(status: status, headers: fields)
        let (stream, input) = AsyncStream<Incoming>.makeStream()
        incoming = stream
        guard status == 101 else {
            input.finish()
            return
        }
        // The reader holds the socket until the connection ends, so the descriptor is never
        // closed (and its number reused by another connection) while it is still being read.
        let thread = Thread { [self] in
            Self.readFrames(fd: fd, input: input) { opcode, payload in self.sendFrame(opcode: opcode, payload: payload) }
        }
        thread.name = "test.raw-websocket"
        thread.start()
    }

    deinit { close(fd) }

    func sendText(_ text: String) { sendFrame(opcode: 0x1, payload: Array(text.utf8)) }
    func sendPing() { sendFrame(opcode: 0x9, payload: [1, 2, 3]) }

    /// Drops the TCP connection without a close frame, as a crashed client would.
    func drop() { shutdown(fd, Int32(SHUT_RDWR)) }

    func sendFrame(opcode: UInt8, payload: [UInt8]) {
        var frame: [UInt8] = [0x80 | opcode]
        let mask: [UInt8] = [0x12, 0x34, 0x56, 0x78]
        if payload.count < 126 {
            frame.append(0x80 | UInt8(payload.count))
        } else if payload.count < 65536 {
            frame += [0x80 | 126, UInt8(payload.count >> 8), UInt8(payload.count & 0xFF)]
        } else {
            frame.append(0x80 | 127)
            for shift in stride(from: 56, through: 0, by: -8) { frame.append(UInt8(UInt64(payload.count) >> UInt64(shift) & 0xFF)) }
        }
        frame += mask
        frame += payload.enumerated().map { $0.element ^ mask[$0.offset % 4] }
        writeLock.withLock { _ in
            _ = frame.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        }
    }

    /// `reply` answers pings with pongs and a close with a close, as every real client does.
    private static func readFrames(fd: Int32, input: AsyncStream<Incoming>.Continuation, reply: (UInt8, [UInt8]) -> Void) {
        defer { input.finish() }
        func read(_ count: Int) -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: count)
            var got = 0
            while got < count {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
                if n <= 0 { return nil }
                got += n
            }
            return buffer
        }
        var message: [UInt8] = []
        while let header = read(2) {
            let opcode = header[0] & 0x0F
            var length = Int(header[1] & 0x7F)
            if length == 126 {
                guard let extra = read(2) else { return }
                length = Int(extra[0]) << 8 | Int(extra[1])
            } else if length == 127 {
                guard let extra = read(8) else { return }
                length = extra.reduce(0) { $0 << 8 | Int($1) }
            }
            // Server frames are never masked; anything else means the stream is out of step.
            guard length <= 64 << 20, header[1] & 0x80 == 0 else { return }
            guard let payload = length == 0 ? [] : read(length) else { return }
            switch opcode {
            case 0x1, 0x0:
                message += payload
                if header[0] & 0x80 != 0 {
                    input.yield(.text(String(decoding: message, as: UTF8.self)))
                    message.removeAll()
                }
            case 0x8:
                input.yield(.close(code: payload.count >= 2 ? Int(payload[0]) << 8 | Int(payload[1]) : 1005))
                reply(0x8, Array(payload.prefix(2)))
                return
            case 0x9: reply(0xA, payload)
            case 0xA: input.yield(.pong)
            default: continue
            }
        }
    }
}

extension Array where Element == UInt8 {
    fileprivate func ends(with suffix: [UInt8]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
