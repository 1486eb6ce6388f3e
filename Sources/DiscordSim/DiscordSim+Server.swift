import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import SimWebSocket

extension DiscordSim: SimWebSocketServer {
    /// HTTP on 127.0.0.1 (REST), with WebSocket upgrades for the gateway paths.
    func bind() async throws -> any Channel {
        try await SimWebSocketHandler.bind(
            group: MultiThreadedEventLoopGroup.singleton, server: self,
            upgrades: { $0 == "/" || $0 == "/resume" },
            http: { [weak self] in SimRESTHandler(sim: self) })
    }

    package func socketOpened(id: ObjectIdentifier, channel: any Channel, uri: String) {
        gatewayOpened(id: id, channel: channel, uri: uri)
    }

    package func socketReceived(text: String, id: ObjectIdentifier) { gatewayReceived(text, id: id) }
    /// The main gateway takes JSON text only (zlib goes the other way): binary is a decode error.
    package func socketReceived(binary: [UInt8], id: ObjectIdentifier) { closeGateway(id: id, code: 4002) }
    package func socketClientClosed(id: ObjectIdentifier, code: Int) { gatewayClientClosed(id: id, code: code) }
    package func socketClosed(id: ObjectIdentifier) { gatewayClosed(id: id) }
}

/// One HTTP connection: collects a request, lets the simulator answer, closes.
final class SimRESTHandler: ChannelInboundHandler, RemovableChannelHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    weak var sim: DiscordSim?
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()

    init(sim: DiscordSim?) { self.sim = sim }

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
