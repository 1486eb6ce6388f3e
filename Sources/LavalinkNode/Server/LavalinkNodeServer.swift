import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import Resolver
import ServiceLifecycle

/// `cadence node`: a Lavalink v4 node (HTTP + WebSocket) serving Cadence's engine, voice and
/// resolver. Bots written for Lavalink connect to it unchanged.
///
/// Guarantees: every route of Lavalink 4.2's surface with its status codes, headers and error
/// JSON; on shutdown every socket is closed with 1001 and every player ends its audio before
/// voice closes.
public final class LavalinkNodeServer: Sendable {
    package let context: NodeContext
    private let group: ServiceGroup
    private let bound: AsyncStream<Int>

    /// - Parameter handlesSignals: SIGTERM and SIGINT shut the node down gracefully (the CLI; not tests).
    public convenience init(configuration: NodeConfiguration, logger: Logger, handlesSignals: Bool = false) {
        self.init(configuration: configuration, logger: logger, handlesSignals: handlesSignals, resolver: nil)
    }

    package init(configuration: NodeConfiguration, logger: Logger, handlesSignals: Bool, resolver: TrackResolver?) {
        let context = NodeContext(configuration: configuration, logger: logger, resolver: resolver)
        self.context = context
        let (bound, boundInput) = AsyncStream<Int>.makeStream()
        self.bound = bound
        let app = Application(
            responder: NodeResponder(context: context),
            server: .http1WebSocketUpgrade(
                webSocketRouter: NodeWebSocket.router(context: context),
                configuration: .init(http1: .init(additionalChannelHandlers: [HandshakeRefusal()]), ws: .init(maxFrameSize: 1 << 16))),
            configuration: .init(address: .hostname(configuration.address, port: configuration.port), serverName: nil),
            onServerRunning: { channel in
                boundInput.yield(channel.localAddress?.port ?? configuration.port)
                boundInput.finish()
            },
            logger: logger)
        group = ServiceGroup(
            configuration: .init(
                services: [app, SocketCloser(context: context)], gracefulShutdownSignals: handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger))
    }

    /// Serves until a shutdown signal (or `shutdown()`), then closes sockets with 1001.
    public func run() async throws {
        let context = context
        Task { await context.restoreSessions() }
        try await group.run()
        context.shutdown()
    }

    /// The port once the listener is up (for `server.port: 0`).
    public func boundPort() async -> Int? {
        for await port in bound { return port }
        return nil
    }

    public func shutdown() async { await group.triggerGracefulShutdown() }
}

/// Shut down before the HTTP server (services stop in reverse order): sockets get 1001
/// while the server can still send it, and players end their audio.
private struct SocketCloser: Service {
    let context: NodeContext

    func run() async throws {
        try? await gracefulShutdown()
        for session in await context.sessions.all {
            if context.store != nil, await session.resuming {
                await session.suspendForRestart()
            } else {
                await session.shutdown(code: 1001, reason: "Server shutting down")
            }
        }
    }
}
