import NIOCore
import NIOHTTP1
import NIOPosix

/// A loopback-only HTTP endpoint for probes and scrapers: `GET /healthz` and `GET /metrics`.
/// It binds 127.0.0.1 so nothing outside the machine can reach it.
package final class HealthServer: Sendable {
    let channel: any Channel
    package var port: Int { channel.localAddress?.port ?? 0 }

    /// Binds `127.0.0.1:port` (0 picks a free port) and starts serving `state`.
    package init(port: Int, state: HealthState, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        channel = try ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.pipeline.configureHTTPServerPipeline().flatMapThrowing {
                    try channel.pipeline.syncOperations.addHandler(HealthHandler(state: state))
                }
            }
            .bind(host: "127.0.0.1", port: port).wait()
    }

    package func close() async throws { try await channel.close() }
}

/// Answers each request from the current snapshot; anything but the two paths is a 404.
final class HealthHandler: ChannelInboundHandler, Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart
    let state: HealthState

    init(state: HealthState) { self.state = state }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case let .head(head) = unwrapInboundIn(data) else { return }
        let (status, body, type): (Int, String, String)
        switch head.uri.split(separator: "?").first.map(String.init) ?? head.uri {
        case "/healthz":
            let health = state.healthz
            (status, body, type) = (health.status, health.body, "text/plain; charset=utf-8")
        case "/metrics": (status, body, type) = (200, state.metricsText, "text/plain; version=0.0.4; charset=utf-8")
        default: (status, body, type) = (404, "not found\n", "text/plain; charset=utf-8")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: type)
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Connection", value: "close")
        context.write(
            wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: .init(statusCode: status), headers: headers))),
            promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(string: body)))), promise: nil)
        let bound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in bound.value.close(promise: nil) }
    }
}
