import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore

/// `/v4/websocket`: Lavalink's handshake (password, `User-Id`, `Client-Name`, `Session-Id`;
/// `Session-Resumed` in the answer), then a push-only socket. Client text is ignored, pings
/// are answered by the WebSocket layer, and a client that floods the node is closed with
/// 1008, alone.
enum NodeWebSocket {
    /// More than this many frames, or bytes, inside one second is a flood.
    static let floodFrames = 50
    static let floodBytes = 1 << 20

    /// Why a handshake is refused, as Lavalink answers it over plain HTTP.
    static func refusal(_ headers: HTTPFields, context: NodeContext) -> NodeHTTPError? {
        if let password = context.configuration.password, !password.isEmpty, headers[.authorization] != password {
            return NodeHTTPError(status: .unauthorized, message: nil)
        }
        guard let user = headers[.userID], let id = Int64(user), id != 0 else {
            return .badRequest("Missing or invalid User-Id header")
        }
        return nil
    }

    /// The handshake's request context; it keeps the channel so a refusal can be recorded against it.
    struct HandshakeContext: RequestContext, WebSocketRequestContext {
        var coreContext: CoreRequestContextStorage
        let webSocket: WebSocketHandlerReference<Self>
        let channel: any Channel

        init(source: ApplicationRequestContextSource) {
            coreContext = .init(source: source)
            webSocket = .init()
            channel = source.channel
        }
    }

    static func router(context: NodeContext) -> Router<HandshakeContext> {
        let router = Router(context: HandshakeContext.self)
        router.ws(
            "/v4/websocket",
            shouldUpgrade: { request, requestContext in
                if let refused = refusal(request.headers, context: context) {
                    HandshakeRefusal.record(refused.status, on: requestContext.channel)
                    return .dontUpgrade
                }
                var resumed = false
                if let id = request.headers[.sessionID], await context.sessions.claim(id) != nil { resumed = true }
                return .upgrade([.sessionResumed: resumed ? "true" : "false", .lavalinkAPIVersion: "4"])
            },
            onUpgrade: { inbound, outbound, socket in
                let headers = socket.request.headers
                let (stream, outlet) = AsyncStream<Outbound>.makeStream()
                let session: NodeSession
                if let id = headers[.sessionID], let claimed = await context.sessions.session(id),
                    await claimed.resuming, await !claimed.isAttached
                {
                    session = claimed
                    await session.attach(outlet, resumed: true)
                    await context.sessions.release(id)
                } else {
                    session = await context.sessions.create(
                        userId: headers[.userID] ?? "0",
                        clientName: headers[.clientName] ?? "unknown", context: context)
                    await session.attach(outlet, resumed: false)
                }
                context.logger.info("client connected", metadata: ["session": "\(session.id)", "client": "\(session.clientName)"])
                // Whichever side ends first ends the socket, except a flood: the writer must still
                // send the 1008 close queued behind what it is writing (up to 2 s, for a client
                // that floods and never reads).
                await withTaskGroup(of: SocketEnd.self) { group in
                    group.addTask {
                        for await item in stream {
                            switch item {
                            case let .text(text):
                                do { try await outbound.write(.text(text)) } catch { return .writerDone }
                            case let .close(code, reason):
                                try? await outbound.close(code == 1001 ? .goingAway : .policyViolation, reason: reason)
                                return .writerDone
                            }
                        }
                        return .writerDone
                    }
                    group.addTask {
                        var windowStart = ContinuousClock.now
                        var frames = 0
                        var bytes = 0
                        do {
                            for try await frame in inbound {
                                let now = ContinuousClock.now
                                if now - windowStart >= .seconds(1) {
                                    windowStart = now
                                    frames = 0
                                    bytes = 0
                                }
                                frames += 1
                                bytes += frame.data.readableBytes
                                if frames > floodFrames || bytes > floodBytes {
                                    context.logger.warning("closing a flooding socket", metadata: ["session": "\(session.id)"])
                                    outlet.yield(.close(code: 1008, reason: "Too many messages"))
                                    return .flood
                                }
                                // v4 clients send nothing; whatever arrives is ignored, as Lavalink does.
                            }
                        } catch {}
                        outlet.finish()
                        return .clientGone
                    }
                    if await group.next() == .flood {
                        group.addTask {
                            try? await Task.sleep(for: .seconds(2))
                            return .writerDone
                        }
                        _ = await group.next()
                    }
                    group.cancelAll()
                }
                await session.detach(outlet)
                context.logger.info("client disconnected", metadata: ["session": "\(session.id)"])
            })
        return router
    }
}

/// Why a session socket's read or write side stopped.
private enum SocketEnd: Sendable {
    case writerDone, clientGone, flood
}
