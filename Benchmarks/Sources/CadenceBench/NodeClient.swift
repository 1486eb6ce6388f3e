import AudioEngine
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// What a Lavalink client does to the node, over plain sockets: HTTP/1.1 requests and the one
/// session WebSocket. Everything runs on long-lived threads named `threadName`, so the bench
/// can take the client's own CPU out of the node's bill, as it does the voice server's.
final class NodeClient: Sendable {
    static let threadName = "bench.client"
    let port: Int
    let password: String
    private let workers: ClientThreads

    init(port: Int, password: String, threads: Int) {
        self.port = port
        self.password = password
        workers = ClientThreads(count: threads)
    }

    func stop() { workers.stop() }

    struct Reply: Sendable {
        var status: Int
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func object() throws -> [String: Any] {
            guard let object = try JSONSerialization.jsonObject(with: body) as? [String: Any] else {
                throw BenchFailure("not a JSON object: \(text)")
            }
            return object
        }
    }

    /// One request on its own connection (`Connection: close`), run on a client thread.
    func request(_ method: String, _ path: String, json: String? = nil) async throws -> Reply {
        let port = port, password = password
        return try await workers.run {
            let fd = try Self.connect(port: port)
            defer { close(fd) }
            let body = Array((json ?? "").utf8)
            var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nAuthorization: \(password)\r\nConnection: close\r\n"
            if json != nil { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
            Self.write(fd, Array((head + "\r\n").utf8) + body)
            var response: [UInt8] = []
            var chunk = [UInt8](repeating: 0, count: 16_384)
            while true {
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                response += chunk[0..<n]
            }
            guard let split = response.firstRange(of: [13, 10, 13, 10]) else { throw BenchFailure("\(method) \(path): no HTTP response") }
            let headText = String(decoding: response[..<split.lowerBound], as: UTF8.self)
            let status = Int(headText.split(separator: " ").dropFirst().first ?? "") ?? 0
            var payload = Data(response[split.upperBound...])
            if headText.lowercased().contains("transfer-encoding: chunked") { payload = Self.dechunk(payload) }
            return Reply(status: status, body: payload)
        }
    }

    /// Opens `/v4/websocket` and returns the socket once its `ready` op came (the session id);
    /// a reader thread then hands every later text frame to `onText` until the socket closes.
    func openSession(userID: String, onText: @escaping @Sendable (String) -> Void) async throws -> (SessionSocket, String) {
        let (readyStream, readyInput) = AsyncStream<String>.makeStream()
        let headers = ["Authorization": password, "User-Id": userID, "Client-Name": "cadence-bench/1.0"]
        let socket = try SessionSocket(port: port, headers: headers, onEnd: { readyInput.finish() }) { text in
            let op = (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["op"] as? String
            if op == "ready" { readyInput.yield(text) } else { onText(text) }
        }
        for await ready in readyStream {
            guard let op = try? JSONSerialization.jsonObject(with: Data(ready.utf8)) as? [String: Any], let id = op["sessionId"] as? String
            else { break }
            return (socket, id)
        }
        throw BenchFailure("no ready op on the session socket")
    }

    static func connect(port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw BenchFailure("cannot connect to the node on port \(port)")
        }
        return fd
    }

    static func write(_ fd: Int32, _ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + sent, bytes.count - sent, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            sent += n
        }
    }

    private static func dechunk(_ data: Data) -> Data {
        var out = Data(), rest = data[...]
        while let lineEnd = rest.firstRange(of: Data([13, 10])),
            let size = Int(String(decoding: rest[..<lineEnd.lowerBound], as: UTF8.self), radix: 16), size > 0
        {
            let start = lineEnd.upperBound
            out += rest[start..<min(rest.endIndex, start + size)]
            rest = rest[min(rest.endIndex, start + size + 2)...]
        }
        return out
    }
}

/// A fixed set of named threads that run blocking jobs (the node's clients block on sockets,
/// and a blocked cooperative thread could starve the node that has to answer).
final class ClientThreads: Sendable {
    private struct State {
        var jobs: [@Sendable () -> Void] = []
        var stopped = false
    }

    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)
    private let count: Int

    init(count: Int) {
        self.count = count
        for _ in 0..<count {
            let thread = Thread { [self] in
                ThreadName.setCurrent(NodeClient.threadName)
                while true {
                    wake.wait()
                    let job = state.withLock { state -> (@Sendable () -> Void)? in state.jobs.isEmpty ? nil : state.jobs.removeFirst() }
                    guard let job else { return }
                    job()
                }
            }
            thread.start()
        }
    }

    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let accepted = state.withLock { state -> Bool in
                guard !state.stopped else { return false }
                state.jobs.append { continuation.resume(with: Result { try body() }) }
                return true
            }
            guard accepted else {
                continuation.resume(throwing: BenchFailure("client threads stopped"))
                return
            }
            wake.signal()
        }
    }

    /// Lets each thread finish its job and exit.
    func stop() {
        state.withLock { $0.stopped = true }
        for _ in 0..<count { wake.signal() }
    }
}

/// The session WebSocket: handshake, then a reader thread (named like the client's) that
/// answers pings and hands text frames on. Server frames are never masked.
final class SessionSocket: Sendable {
    private let fd: Int32

    init(port: Int, headers: [String: String], onEnd: @escaping @Sendable () -> Void, onText: @escaping @Sendable (String) -> Void) throws {
        let fd = try NodeClient.connect(port: port)
        self.fd = fd
        var request = "GET /v4/websocket HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        NodeClient.write(fd, Array((request + "\r\n").utf8))
        var head: [UInt8] = [], byte: UInt8 = 0
        while !(head.count >= 4 && Array(head.suffix(4)) == [13, 10, 13, 10]), recv(fd, &byte, 1, 0) == 1 { head.append(byte) }
        let status = String(decoding: head, as: UTF8.self).split(separator: " ").dropFirst().first.map(String.init) ?? ""
        guard status == "101" else {
            close(fd)
            throw BenchFailure("WebSocket upgrade answered \(status)")
        }
        let thread = Thread {
            ThreadName.setCurrent(NodeClient.threadName)
            Self.readFrames(fd: fd, onText: onText)
            onEnd()
        }
        thread.start()
    }

    /// Ends the session from the client's side (the reader sees the socket end).
    func end() { shutdown(fd, Int32(SHUT_RDWR)) }

    private static func readFrames(fd: Int32, onText: (String) -> Void) {
        func read(_ count: Int) -> [UInt8]? {
            var buffer = [UInt8](repeating: 0, count: count), got = 0
            while got < count {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + got, count - got, 0) }
                if n <= 0 { return nil }
                got += n
            }
            return buffer
        }
        var message: [UInt8] = []
        while let header = read(2) {
            var length = Int(header[1] & 0x7F)
            if length == 126 {
                guard let extra = read(2) else { return }
                length = Int(extra[0]) << 8 | Int(extra[1])
            } else if length == 127 {
                guard let extra = read(8) else { return }
                length = extra.reduce(0) { $0 << 8 | Int($1) }
            }
            guard let payload = length == 0 ? [] : read(length) else { return }
            switch header[0] & 0x0F {
            case 0x0, 0x1:
                message += payload
                if header[0] & 0x80 != 0 {
                    onText(String(decoding: message, as: UTF8.self))
                    message.removeAll()
                }
            case 0x8: return
            case 0x9: sendFrame(fd: fd, opcode: 0xA, payload: payload)
            default: continue
            }
        }
    }

    private static func sendFrame(fd: Int32, opcode: UInt8, payload: [UInt8]) {
        let mask: [UInt8] = [1, 2, 3, 4]
        var frame: [UInt8] = [0x80 | opcode, 0x80 | UInt8(min(payload.count, 125))] + mask
        frame += payload.prefix(125).enumerated().map { $0.element ^ mask[$0.offset % 4] }
        NodeClient.write(fd, frame)
    }

    deinit { Glibc.close(fd) }
}
