import AsyncHTTPClient
import CadenceTestSupport
import Foundation
import LavalinkNode
import Logging
import MediaServerSim
import NIOCore
import NIOHTTP1
import Resolver
import Synchronization

/// A real node on loopback (password `pw`, loopback media allowed) and a real HTTP client.
final class NodeHarness: Sendable {
    let server: LavalinkNodeServer
    let port: Int
    let run: Task<Void, any Error>
    static let password = "pw"
    /// Distinct ids, so a test that mixed them up would fail.
    static let userID = "170939974227541168"
    static let guildID = "817327181659111454"
    static let channelID: UInt64 = 1_151_222_333_444_555_666

    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: Data
        var text: String { String(decoding: body, as: UTF8.self) }
        func json() throws -> Any { try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        func object() throws -> [String: Any] {
            guard let object = try json() as? [String: Any] else { throw HarnessError("not an object: \(text)") }
            return object
        }
    }

    struct HarnessError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    init(resolver: TrackResolver? = nil, configure: (inout NodeConfiguration) -> Void = { _ in }) async throws {
        var configuration = NodeConfiguration()
        configuration.port = 0
        configuration.password = Self.password
        configuration.allowPrivateNetwork = true
        configure(&configuration)
        var logger = Logger(label: "test.node")
        logger.logLevel = ProcessInfo.processInfo.environment["NODE_TEST_LOG"] == "1" ? .debug : .critical
        let server = LavalinkNodeServer(configuration: configuration, logger: logger, handlesSignals: false, resolver: resolver)
        self.server = server
        run = Task { try await server.run() }
        guard let port = await server.boundPort() else { throw HarnessError("node did not bind") }
        self.port = port
    }

    func shutdown() async {
        await server.shutdown()
        _ = try? await run.value
    }

    func request(_ method: HTTPMethod, _ path: String, body: Data? = nil, headers: [String: String]? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = method
        for (name, value) in headers ?? ["Authorization": Self.password] { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 64 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers, body: Data(buffer: buffer))
    }

    func request(_ method: HTTPMethod, _ path: String, json: String) async throws -> Reply {
        try await request(method, path, body: Data(json.utf8))
    }

    /// A session socket with the three Lavalink headers.
    func socket(sessionID: String? = nil, password: String = NodeHarness.password, userID: String? = NodeHarness.userID)
        async throws -> RawWebSocket
    {
        var headers = ["Authorization": password, "Client-Name": "cadence-tests/1.0"]
        if let userID { headers["User-Id"] = userID }
        if let sessionID { headers["Session-Id"] = sessionID }
        return try await RawWebSocket.open(port: port, headers: headers)
    }
}

/// Reads a session's ops in order, by op and event type. A pump task keeps every frame with
/// its arrival time, so waiting with a timeout never loses one.
final class OpReader: Sendable {
    struct Entry: @unchecked Sendable {
        var op: [String: Any]
        var arrived: Date
    }

    private struct State {
        var entries: [Entry] = []
        var cursor = 0
        var closeCode: Int?
        var ended = false
    }

    private final class Box: Sendable {
        let mutex = Mutex(State())
    }

    private let box = Box()
    private let pump: Task<Void, Never>

    init(_ socket: RawWebSocket) {
        let box = box
        pump = Task {
            for await item in socket.incoming {
                switch item {
                case let .text(text):
                    guard let op = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { continue }
                    box.mutex.withLock { $0.entries.append(Entry(op: op, arrived: Date())) }
                case let .close(code): box.mutex.withLock { $0.closeCode = code }
                case .pong: continue
                }
            }
            box.mutex.withLock { $0.ended = true }
        }
    }

    deinit { pump.cancel() }

    var all: [[String: Any]] { box.mutex.withLock { $0.entries.map(\.op) } }
    var closeCode: Int? { box.mutex.withLock { $0.closeCode } }
    var ended: Bool { box.mutex.withLock { $0.ended } }

    /// The next op after the last one returned that matches, within `timeout` seconds; nil if none came.
    func next(timeout: Double = 10, where match: ([String: Any]) -> Bool = { _ in true }) async -> [String: Any]? {
        await nextEntry(timeout: timeout, where: match)?.op
    }

    func nextEntry(timeout: Double = 10, where match: ([String: Any]) -> Bool) async -> Entry? {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let found = box.mutex.withLock { state -> Entry? in
                while state.cursor < state.entries.count {
                    let entry = state.entries[state.cursor]
                    state.cursor += 1
                    if match(entry.op) { return entry }
                }
                return nil
            }
            if let found { return found }
            if Date() >= deadline || ended { return nil }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    func nextEvent(_ type: String, timeout: Double = 10) async -> [String: Any]? {
        await next(timeout: timeout) { $0["op"] as? String == "event" && $0["type"] as? String == type }
    }

    func nextOp(_ op: String, timeout: Double = 10) async -> [String: Any]? {
        await next(timeout: timeout) { $0["op"] as? String == op }
    }

    /// Waits for the socket to end; the close code if a close frame came.
    func waitForClose(timeout: Double = 10) async -> Int? {
        let deadline = Date().addingTimeInterval(timeout)
        while !ended, Date() < deadline { try? await Task.sleep(for: .milliseconds(10)) }
        return closeCode
    }
}
