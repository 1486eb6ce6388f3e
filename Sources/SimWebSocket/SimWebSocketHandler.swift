import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// What a local server does with its WebSocket connections.
///
/// Two implementations: DiscordSim's main gateway and VoiceServerSim's voice gateway. Each
/// decides what a message means and when to close; the socket mechanics are
/// `SimWebSocketHandler`'s, so both servers answer pings and close handshakes alike.
package protocol SimWebSocketServer: AnyObject, Sendable {
    /// A client completed the upgrade to `uri` (path and query); `channel` is where replies go.
    func socketOpened(id: ObjectIdentifier, channel: any Channel, uri: String)
    func socketReceived(text: String, id: ObjectIdentifier)
    func socketReceived(binary: [UInt8], id: ObjectIdentifier)
    /// The client sent a close frame with `code`; the handler echoes it and hangs up.
    func socketClientClosed(id: ObjectIdentifier, code: Int)
    /// The connection is gone, however it ended.
    func socketClosed(id: ObjectIdentifier)
}

/// One WebSocket connection on a local server's side: whole messages (fragments joined) go to
/// the server, pings are answered, and a client's close frame is echoed with its code before
/// the connection is closed, as RFC 6455 §5.5.1 has a server do.
package final class SimWebSocketHandler: ChannelInboundHandler, @unchecked Sendable {
    package typealias InboundIn = WebSocketFrame
    package typealias OutboundOut = WebSocketFrame

    private weak var server: (any SimWebSocketServer)?
    private let uri: String
    private var closing = false

    init(server: any SimWebSocketServer, uri: String) {
        self.server = server
        self.uri = uri
    }

    package var id: ObjectIdentifier { ObjectIdentifier(self) }

    package func handlerAdded(context: ChannelHandlerContext) {
        server?.socketOpened(id: id, channel: context.channel, uri: uri)
    }

    package func channelInactive(context: ChannelHandlerContext) {
        server?.socketClosed(id: id)
        context.fireChannelInactive()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        var payload = frame.unmaskedData
        switch frame.opcode {
        case .text:
            server?.socketReceived(text: payload.readString(length: payload.readableBytes) ?? "", id: id)
        case .binary:
            server?.socketReceived(binary: payload.readBytes(length: payload.readableBytes) ?? [], id: id)
        case .connectionClose:
            guard !closing else { return context.close(promise: nil) }
            closing = true
            // No code in the frame is reported as 1005, which may not be sent back (RFC 6455 §7.4.1).
            let code = payload.readInteger(as: UInt16.self)
            server?.socketClientClosed(id: id, code: Int(code ?? 1005))
            var buffer = context.channel.allocator.buffer(capacity: 2)
            if let code { buffer.writeInteger(code) }
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        default:
            break
        }
    }

    package func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension SimWebSocketHandler {
    /// Listens on 127.0.0.1 (any free port) for HTTP/1.1: requests whose path `upgrades`
    /// accepts become WebSocket connections of `server`; the rest go to a fresh `http()`
    /// handler (none: they get no answer, as only WebSocket clients come).
    package static func bind(
        group: any EventLoopGroup, server: any SimWebSocketServer, upgrades: @escaping @Sendable (String) -> Bool,
        http: (@Sendable () -> any RemovableChannelHandler & Sendable)? = nil
    ) async throws -> any Channel {
        try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [weak server] channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let server else { throw ChannelError.ioOnClosedChannel }
                    let upgrader = NIOWebSocketServerUpgrader(
                        maxFrameSize: 1 << 20,
                        shouldUpgrade: { channel, head in
                            let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
                            return channel.eventLoop.makeSucceededFuture(upgrades(path) ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { [weak server] channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                guard let server else { return }
                                try channel.pipeline.syncOperations.addHandlers([
                                    NIOWebSocketFrameAggregator(
                                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64,
                                        maxAccumulatedFrameSize: 1 << 20),
                                    SimWebSocketHandler(server: server, uri: head.uri)
                                ])
                            }
                        })
                    let handler = http?()
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                if let handler { context.pipeline.syncOperations.removeHandler(handler, promise: nil) }
                            }
                        ))
                    if let handler { try channel.pipeline.syncOperations.addHandler(handler) }
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}
