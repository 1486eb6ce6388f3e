import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A local stand-in for umapyoi.net's `/api/v1` character endpoints, for tests and benchmarks.
///
/// Serves the fixture on 127.0.0.1 (port chosen by the OS) and adds test knobs the real API
/// lacks: a per-path request counter, injected faults (500, 429 with Retry-After, dropped
/// connections), optional ETag/Last-Modified with 304 answers, and an artificial delay.
/// Every response closes its connection, so `shutdown()` makes the next request fail with a
/// refused connection, like an API that went away.
package final class UMAServerSim: Sendable {
    /// A failure the server answers with instead of data.
    package enum Fault: Sendable, Equatable {
        /// Every request gets HTTP 500.
        case internalError
        /// The next `times` requests get 429 with this Retry-After value (nil: no header).
        case tooManyRequests(retryAfter: String?, times: Int)
        /// The server closes the connection without answering.
        case dropConnection
    }

    /// One request as the server saw it.
    package struct Request: Sendable {
        package let path: String
        package let at: ContinuousClock.Instant
        package let status: Int
    }

    struct State {
        var requests: [Request] = []
        var fault: Fault?
        var delay: Duration = .zero
        var sendETag = false
        var sendLastModified = false
    }

    let state = Mutex(State())
    let fixture: UMAFixture
    private let channel: any Channel

    /// The port the server listens on.
    package let port: Int
    /// The base URL to give the client: `http://127.0.0.1:<port>/api/v1`.
    package var baseURL: String { "http://127.0.0.1:\(port)/api/v1" }

    private init(channel: any Channel, port: Int, fixture: UMAFixture) {
        self.channel = channel
        self.port = port
        self.fixture = fixture
    }

    /// Starts a server on 127.0.0.1 with an OS-chosen port.
    package static func start() async throws -> UMAServerSim {
        let box = Mutex<UMAServerSim?>(nil)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { child in
                child.eventLoop.makeCompletedFuture {
                    guard let server = box.withLock({ $0 }) else { throw ChannelError.ioOnClosedChannel }
                    try child.pipeline.syncOperations.configureHTTPServerPipeline()
                    try child.pipeline.syncOperations.addHandler(UMARequestHandler(server: server))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        guard let port = channel.localAddress?.port else {
            try? await channel.close()
            throw ChannelError.unknownLocalAddress
        }
        let server = UMAServerSim(channel: channel, port: port, fixture: UMAFixture(host: "http://127.0.0.1:\(port)"))
        box.withLock { $0 = server }
        return server
    }

    /// Stops listening; later requests are refused.
    package func shutdown() async {
        try? await channel.close()
    }

    // MARK: Knobs

    package func setFault(_ fault: Fault?) { state.withLock { $0.fault = fault } }
    package func setDelay(_ delay: Duration) { state.withLock { $0.delay = delay } }
    /// Turns validators on or off; with them on, a matching conditional request gets 304.
    package func setValidators(etag: Bool, lastModified: Bool) {
        state.withLock {
            $0.sendETag = etag
            $0.sendLastModified = lastModified
        }
    }

    // MARK: Counters

    /// Requests seen for a path under `/api/v1` (e.g. `/character/list`), whatever the answer.
    package func count(_ path: String) -> Int {
        state.withLock { $0.requests.filter { $0.path == path }.count }
    }

    /// Requests seen in total.
    package var totalRequests: Int { state.withLock { $0.requests.count } }

    /// Every request so far, oldest first.
    package var requests: [Request] { state.withLock { $0.requests } }

    package func resetCounters() { state.withLock { $0.requests.removeAll() } }
}
