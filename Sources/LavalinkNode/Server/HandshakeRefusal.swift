import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// Gives a refused WebSocket handshake Lavalink's status (401 bad password, 400 bad
/// `User-Id`). The WebSocket layer answers every refused upgrade with a bare 400; the
/// handshake check records why it refused, per channel, and this handler, which sits on the
/// path of that answer, swaps the status.
final class HandshakeRefusal: ChannelOutboundHandler, RemovableChannelHandler, Sendable {
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private static let refused = Mutex<[ObjectIdentifier: HTTPResponse.Status]>([:])

    /// The handshake check on `channel` refused with `status`.
    static func record(_ status: HTTPResponse.Status, on channel: any Channel) {
        refused.withLock { $0[ObjectIdentifier(channel)] = status }
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var part = unwrapOutboundIn(data)
        if case var .head(head) = part, head.status == .badRequest,
            let status = Self.refused.withLock({ $0.removeValue(forKey: ObjectIdentifier(context.channel)) })
        {
            head.status = status
            head.headerFields[HTTPField.Name("Lavalink-Api-Version")!] = "4"
            part = .head(head)
        }
        context.write(wrapOutboundOut(part), promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        _ = Self.refused.withLock { $0.removeValue(forKey: ObjectIdentifier(context.channel)) }
    }
}
