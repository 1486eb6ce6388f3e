import Foundation
import NIOCore
import NIOHTTP1

/// Answers one connection's requests from the fixture, applying the server's knobs.
final class UMARequestHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    static let lastModified = "Sat, 24 Feb 2024 00:00:00 GMT"
    private let server: UMAServerSim
    private var head: HTTPRequestHead?

    init(server: UMAServerSim) {
        self.server = server
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(head): self.head = head
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            respond(context: context, head: head)
        }
    }

    private struct Answer {
        var status: HTTPResponseStatus
        var headers: [(String, String)] = []
        var body: Data?
    }

    private func respond(context: ChannelHandlerContext, head: HTTPRequestHead) {
        let prefix = "/api/v1"
        let rawPath = String(head.uri.split(separator: "?", maxSplits: 1).first ?? "")
        let path = rawPath.hasPrefix(prefix) ? String(rawPath.dropFirst(prefix.count)) : rawPath
        let (answer, drop, delay) = server.state.withLock { state -> (Answer?, Bool, Duration) in
            let answer: Answer?
            switch state.fault {
            case .dropConnection:
                answer = nil
            case .internalError:
                answer = Answer(status: .internalServerError, body: Data("{\"error\":\"test fault\"}".utf8))
            case let .tooManyRequests(retryAfter, times):
                state.fault = times > 1 ? .tooManyRequests(retryAfter: retryAfter, times: times - 1) : nil
                answer = Answer(status: .tooManyRequests, headers: retryAfter.map { [("Retry-After", $0)] } ?? [])
            case nil:
                answer = Self.normalAnswer(path: path, head: head, fixture: server.fixture, state: state)
            }
            let status = answer.map { Int($0.status.code) } ?? 0
            state.requests.append(UMAServerSim.Request(path: path, at: .now, status: status))
            return (answer, answer == nil, state.delay)
        }
        let send = { [context] in
            guard let answer, !drop else {
                context.close(promise: nil)
                return
            }
            Self.write(answer, context: context, handler: self)
        }
        if delay > .zero {
            let nanos = delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000
            context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanos)) { send() }
        } else {
            send()
        }
    }

    private static func normalAnswer(path: String, head: HTTPRequestHead, fixture: UMAFixture, state: UMAServerSim.State)
        -> Answer
    {
        guard head.method == .GET, let body = fixture.body(for: path) else {
            return Answer(status: .notFound, body: Data("{\"detail\":\"Not Found\"}".utf8))
        }
        var headers: [(String, String)] = []
        let etag = "\"\(fnv1a(body))\""
        if state.sendETag { headers.append(("ETag", etag)) }
        if state.sendLastModified { headers.append(("Last-Modified", lastModified)) }
        let etagMatches = state.sendETag && head.headers["If-None-Match"].contains(etag)
        let dateMatches = state.sendLastModified && head.headers["If-Modified-Since"].contains(lastModified)
        if etagMatches || dateMatches {
            return Answer(status: .notModified, headers: headers)
        }
        return Answer(status: .ok, headers: headers + [("Content-Type", "application/json")], body: body)
    }

    private static func write(_ answer: Answer, context: ChannelHandlerContext, handler: UMARequestHandler) {
        var headers = HTTPHeaders(answer.headers)
        headers.add(name: "Content-Length", value: "\(answer.body?.count ?? 0)")
        headers.add(name: "Connection", value: "close")
        context.write(
            handler.wrapOutboundOut(.head(HTTPResponseHead(version: .http1_1, status: answer.status, headers: headers))),
            promise: nil)
        if let body = answer.body {
            context.write(handler.wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(handler.wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in
            context.close(promise: nil)
        }
    }

    private static func fnv1a(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash ^= UInt64(byte)
            hash &*= 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
