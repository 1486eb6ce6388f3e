import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// A loopback HTTP server for media files, with byte ranges and fault injection, standing in
/// for YouTube's and SoundCloud's CDNs in tests and the benchmark.
///
/// Files are served from memory under `/<name>`; a query string carries the URL's token.
/// Requests are counted per name, so tests can tell how often the engine reconnected. Live
/// streams (Icecast-style and HLS, see `MediaServer+Live`) join at an edge that moves with
/// the clock.
package final class MediaServer: Sendable {
    struct State {
        var files: [String: [UInt8]] = [:]
        var contentTypes: [String: String] = [:]
        var faults: [String: [MediaFault]] = [:]
        /// Faults that fire once and have fired.
        var spent: Set<String> = []
        var requests: [String: Int] = [:]
        var expiredTokens: Set<String> = []
        var nextToken = 1
        /// When a started `trickle` fault ends, per file.
        var trickleUntil: [String: NIODeadline] = [:]
        /// Names answered with a 302 to another URL.
        var redirects: [String: String] = [:]
        var live: [String: LiveStream] = [:]
        var hls: [String: LiveHLS] = [:]
        /// Connections open now, so an outage can close them all.
        var openChannels: [ObjectIdentifier: any Channel] = [:]
        /// Until then, new requests are answered by closing the connection.
        var refuseUntil: NIODeadline = .uptimeNanoseconds(0)
    }

    let state = Mutex(State())
    private let group: MultiThreadedEventLoopGroup
    private let channel: any Channel
    /// The port the server listens on, on 127.0.0.1.
    package let port: Int

    /// Starts listening on 127.0.0.1 on a free port.
    package static func start() async throws -> MediaServer {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let box = ServerBox()
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMap {
                    channel.pipeline.addHandler(MediaRequestHandler(server: box.server!))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = MediaServer(group: group, channel: channel)
        box.server = server
        return server
    }

    private init(group: MultiThreadedEventLoopGroup, channel: any Channel) {
        self.group = group
        self.channel = channel
        port = channel.localAddress?.port ?? 0
    }

    /// Serves `data` at `/<name>`.
    package func add(_ name: String, data: Data, contentType: String = "application/octet-stream") {
        state.withLock {
            $0.files[name] = [UInt8](data)
            $0.contentTypes[name] = contentType
        }
    }

    /// Answers `/<name>` with a 302 redirect to `location`, as a link shortener or a CDN does.
    package func addRedirect(_ name: String, to location: String) {
        state.withLock { $0.redirects[name] = location }
    }

    /// Sets the faults for `name` (replacing earlier ones) and re-arms the one-shot ones.
    package func setFaults(_ faults: [MediaFault], for name: String) {
        state.withLock {
            $0.faults[name] = faults
            $0.spent = $0.spent.filter { !$0.hasPrefix(name + "#") }
        }
    }

    /// The URL of `name` with the first token.
    package func url(_ name: String) -> String { "http://127.0.0.1:\(port)/\(name)?token=0" }

    /// A new URL for `name`, as a re-resolution yields after the old one expired.
    package func freshURL(_ name: String) -> String {
        let token = state.withLock { state -> Int in
            defer { state.nextToken += 1 }
            return state.nextToken
        }
        return "http://127.0.0.1:\(port)/\(name)?token=\(token)"
    }

    /// GET requests seen for `name`.
    package func requestCount(_ name: String) -> Int { state.withLock { $0.requests[name] ?? 0 } }

    package func shutdown() async {
        try? await channel.close()
        try? await group.shutdownGracefully()
    }
}

/// Lets the channel initializer reach the server object created after the bind.
private final class ServerBox: @unchecked Sendable {
    var server: MediaServer?
}
