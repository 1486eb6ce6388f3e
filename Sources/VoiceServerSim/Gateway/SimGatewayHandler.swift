import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

extension VoiceServerSim {
    /// Listens for HTTP upgrades to WebSocket on 127.0.0.1, any free port.
    func bindWebSocket() async throws -> any Channel {
        let upgrader = NIOWebSocketServerUpgrader(
            maxFrameSize: 1 << 20,
            shouldUpgrade: { channel, _ in channel.eventLoop.makeSucceededFuture(HTTPHeaders()) },
            upgradePipelineHandler: { [weak self] channel, head in
                channel.eventLoop.makeCompletedFuture {
                    guard let self else { return }
                    let handler = SimGatewayHandler(sim: self, uri: head.uri)
                    try channel.pipeline.syncOperations.addHandlers([
                        NIOWebSocketFrameAggregator(
                            minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: 64,
                            maxAccumulatedFrameSize: 1 << 20),
                        handler
                    ])
                }
            })
        return try await ServerBootstrap(group: group)
            .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(ChannelOptions.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withServerUpgrade: (upgraders: [upgrader], completionHandler: { _ in }))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
    }
}

/// One client's voice WebSocket on the server side: frames in, the simulator decides.
final class SimGatewayHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    weak var sim: VoiceServerSim?
    let uri: String
    private var closing = false
    private var watchdog: RepeatedTask?

    init(sim: VoiceServerSim, uri: String) {
        self.sim = sim
        self.uri = uri
    }

    var id: ObjectIdentifier { ObjectIdentifier(self) }

    func handlerAdded(context: ChannelHandlerContext) {
        guard let sim else { return }
        sim.connectionOpened(id: id, channel: context.channel, uri: uri)
        let interval = sim.configuration.heartbeatIntervalMs
        let limit = sim.configuration.heartbeatTimeoutIntervals
        if limit > 0 {
            let period = TimeAmount.milliseconds(Int64(max(10, interval / 4)))
            watchdog = context.eventLoop.scheduleRepeatedTask(initialDelay: period, delay: period) { [weak self] _ in
                guard let self, let sim = self.sim else { return }
                sim.checkHeartbeat(id: self.id, timeoutMs: interval * limit)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        watchdog?.cancel()
        sim?.connectionClosed(id: id)
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text:
            var payload = frame.unmaskedData
            let text = payload.readString(length: payload.readableBytes) ?? ""
            sim?.receiveText(text, id: id)
        case .binary:
            var payload = frame.unmaskedData
            sim?.receiveBinary(payload.readBytes(length: payload.readableBytes) ?? [], id: id)
        case .connectionClose:
            // Echo the close and hang up, as a server does.
            guard !closing else { return context.close(promise: nil) }
            closing = true
            var data = frame.unmaskedData
            let code = data.readWebSocketErrorCode() ?? .normalClosure
            sim?.clientClosed(id: id, code: Int(WebSocketErrorCode.number(code)))
            var buffer = context.channel.allocator.buffer(capacity: 2)
            buffer.write(webSocketErrorCode: code)
            let reply = WebSocketFrame(fin: true, opcode: .connectionClose, data: buffer)
            let channel = context.channel
            context.writeAndFlush(wrapOutboundOut(reply)).whenComplete { _ in channel.close(promise: nil) }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        default:
            break
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

extension WebSocketErrorCode {
    static func number(_ code: WebSocketErrorCode) -> UInt16 {
        switch code {
        case .normalClosure: 1000
        case .goingAway: 1001
        case .protocolError: 1002
        case .unacceptableData: 1003
        case .dataInconsistentWithMessage: 1007
        case .policyViolation: 1008
        case .messageTooLarge: 1009
        case .missingExtension: 1010
        case .unexpectedServerError: 1011
        case let .unknown(value): value
        }
    }
}
