import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

extension DiscordSim {
    /// HTTP on 127.0.0.1, with WebSocket upgrades for the gateway paths.
    func bind() async throws -> any Channel {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [weak self] channel in
                channel.eventLoop.makeCompletedFuture {
                    guard let self else { throw ChannelError.ioOnClosedChannel }
                    let http = SimRESTHandler(sim: self)
                    let upgrader = NIOWebSocketServerUpgrader(
                        maxFrameSize: 1 << 20,
                        shouldUpgrade: { channel, head in
                            let path = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
                            let gateway = path == "/" || path == "/resume"
                            return channel.eventLoop.makeSucceededFuture(gateway ? HTTPHeaders() : nil)
                        },
                        upgradePipelineHandler: { [weak self] channel, head in
                            channel.eventLoop.makeCompletedFuture {
                                guard let self else { return }
                                try channel.pipeline.syncOperations.addHandlers([
                                    NIOWebSocketFrameAggregator(
                                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64,
                                        maxAccumulatedFrameSize: 1 << 20),
                                    SimGatewaySocket(sim: self, uri: head.uri)
                                ])
                            }
                        })
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (
                            upgraders: [upgrader],
                            completionHandler: { context in
                                context.pipeline.syncOperations.removeHandler(http, promise: nil)
                            }
                        ))
                    try channel.pipeline.syncOperations.addHandler(http)
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}

/// One HTTP connection: collects a request, lets the simulator answer, closes.
final class SimRESTHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    weak var sim: DiscordSim?
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(sim: DiscordSim) { self.sim = sim }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head):
            self.head = head
            body.clear()
        case var .body(part):
            body.writeBuffer(&part)
        case .end:
            guard let head, let sim else { return }
            self.head = nil
            let text = body.readString(length: body.readableBytes) ?? ""
            let answer = sim.answerREST(method: head.method.rawValue, uri: head.uri, headers: head.headers, body: text)
            var headers = HTTPHeaders(answer.headers)
            headers.add(name: "Content-Length", value: "\(answer.body.utf8.count)")
            if !answer.body.isEmpty { headers.add(name: "Content-Type", value: "application/json") }
            headers.add(name: "Connection", value: "close")
            let status = HTTPResponseStatus(statusCode: answer.status)
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers))), promise: nil)
            if !answer.body.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: answer.body)))), promise: nil)
            }
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }
}

/// One gateway WebSocket on the server side: frames in, the simulator decides.
final class SimGatewaySocket: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    weak var sim: DiscordSim?
    let uri: String
    private var closing = false

    init(sim: DiscordSim, uri: String) {
        self.sim = sim
        self.uri = uri
    }

    var id: ObjectIdentifier { ObjectIdentifier(self) }

    func handlerAdded(context: ChannelHandlerContext) {
        sim?.gatewayOpened(id: id, channel: context.channel, uri: uri)
    }

    func channelInactive(context: ChannelHandlerContext) {
        sim?.gatewayClosed(id: id)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            let text = payload.readString(length: payload.readableBytes) ?? ""
            sim?.gatewayReceived(text, id: id)
        case .binary:
            sim?.closeGateway(id: id, code: 4002)
        case .connectionClose:
            guard !closing else { return context.close(promise: nil) }
            closing = true
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self) ?? 1005
            sim?.gatewayClientClosed(id: id, code: Int(code))
            var buffer = context.channel.allocator.buffer(capacity: 2)
            buffer.writeInteger(code)
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)
            context.writeAndFlush(wrapOutboundOut(reply)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case .ping:
            context.writeAndFlush(wrapOutboundOut(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)), promise: nil)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
