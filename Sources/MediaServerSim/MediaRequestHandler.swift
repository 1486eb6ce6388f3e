import Foundation
import NIOCore
import NIOHTTP1

/// Answers one connection's GET requests: full or ranged bodies, sent in chunks so faults can
/// strike at exact byte offsets and bandwidth can be throttled.
final class MediaRequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let server: MediaServer
    private var head: HTTPRequestHead?

    init(server: MediaServer) { self.server = server }

    func channelActive(context: ChannelHandlerContext) {
        let channel = context.channel
        server.state.withLock { $0.openChannels[ObjectIdentifier(channel)] = channel }
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        let id = ObjectIdentifier(context.channel)
        server.state.withLock { _ = $0.openChannels.removeValue(forKey: id) }
        context.fireChannelInactive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case let .head(request): head = request
        case .body: break
        case .end:
            if let head { respond(to: head, context: context) }
            head = nil
        }
    }

    private func respond(to request: HTTPRequestHead, context: ChannelHandlerContext) {
        let components = URLComponents(string: request.uri)
        let name = String((components?.path ?? "").dropFirst())
        let token = components?.queryItems?.first { $0.name == "token" }?.value ?? "0"
        if server.state.withLock({ NIODeadline.now() < $0.refuseUntil }) {
            context.close(promise: nil)
            return
        }
        if respondLive(to: request, name: name, context: context) { return }
        if let location = server.state.withLock({ $0.redirects[name] }) {
            var headers = HTTPHeaders([("Location", location), ("Content-Length", "0")])
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .found, headers: headers))),
                promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        let plan = server.state.withLock { state -> ResponsePlan in
            state.requests[name, default: 0] += 1
            guard let file = state.files[name] else { return .status(.notFound) }
            if state.expiredTokens.contains("\(name)?\(token)") { return .status(.forbidden) }
            let range = Self.range(request.headers.first(name: "range"), size: file.count)
            guard let range else { return .status(.rangeNotSatisfiable) }
            var declared = range.count
            if let missing = (state.faults[name] ?? []).compactMap({ fault -> Int? in
                if case let .shortContentLength(missing) = fault { return missing } else { return nil }
            }).first, state.spent.insert("\(name)#short").inserted {
                declared = max(0, range.count - missing)
            }
            return .body(
                file: file, range: range, declared: declared, partial: request.headers.first(name: "range") != nil,
                contentType: state.contentTypes[name] ?? "application/octet-stream")
        }
        switch plan {
        case let .status(status):
            var headers = HTTPHeaders([("Content-Length", "0")])
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))),
                promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case let .body(file, range, declared, partial, contentType):
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: contentType)
            headers.add(name: "Content-Length", value: String(declared))
            headers.add(name: "Accept-Ranges", value: "bytes")
            if partial {
                headers.add(name: "Content-Range", value: "bytes \(range.lowerBound)-\(range.upperBound - 1)/\(file.count)")
            }
            let head = HTTPResponseHead(version: request.version, status: partial ? .partialContent : .ok, headers: headers)
            context.writeAndFlush(wrapOutboundOut(.head(head)), promise: nil)
            let name = String((components?.path ?? "").dropFirst())
            let sender = BodySender(
                server: server, name: name, token: token, file: file,
                offset: range.lowerBound, end: range.lowerBound + declared)
            sender.next(context: context, handler: self)
        }
    }

    func write(_ bytes: ArraySlice<UInt8>, context: ChannelHandlerContext) -> EventLoopFuture<Void> {
        var buffer = context.channel.allocator.buffer(capacity: bytes.count)
        buffer.writeBytes(bytes)
        return context.writeAndFlush(wrapOutboundOut(.body(.byteBuffer(buffer))))
    }

    func end(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    /// Parses `bytes=a-` and `bytes=a-b`; nil when unsatisfiable.
    static func range(_ header: String?, size: Int) -> Range<Int>? {
        guard let header, header.hasPrefix("bytes=") else { return 0..<size }
        let parts = header.dropFirst(6).split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int(parts[0]), start < size else { return nil }
        let end = Int(parts[1]).map { min($0 + 1, size) } ?? size
        return start < end ? start..<end : nil
    }

    enum ResponsePlan {
        case status(HTTPResponseStatus)
        case body(file: [UInt8], range: Range<Int>, declared: Int, partial: Bool, contentType: String)
    }
}

/// Sends one response body chunk by chunk, applying the file's faults on the way.
final class BodySender: @unchecked Sendable {
    let server: MediaServer
    let name: String
    let token: String
    let file: [UInt8]
    var offset: Int
    let end: Int
    var ownsTrickle = false
    static let chunk = 16_384

    init(server: MediaServer, name: String, token: String, file: [UInt8], offset: Int, end: Int) {
        self.server = server
        self.name = name
        self.token = token
        self.file = file
        self.offset = offset
        self.end = end
    }

    func next(context: ChannelHandlerContext, handler: MediaRequestHandler) {
        guard offset < end else {
            handler.end(context: context)
            return
        }
        let faults = server.state.withLock { $0.faults[name] ?? [] }
        var chunkEnd = min(end, offset + Self.chunk)
        var delay: TimeAmount = .zero
        var after: Action = .continue
        for fault in faults {
            switch fault {
            case let .dropConnection(byte) where (offset..<chunkEnd).contains(byte) && spend("drop"):
                chunkEnd = byte
                after = .close
            case let .expireURL(byte) where (offset..<chunkEnd).contains(byte) && spend("expire"):
                chunkEnd = byte
                after = .close
                server.state.withLock { _ = $0.expiredTokens.insert("\(name)?\(token)") }
            case let .stall(byte, seconds) where (offset..<chunkEnd).contains(byte) && spend("stall"):
                chunkEnd = byte
                after = .pause(.nanoseconds(Int64(seconds * 1e9)))
            case let .trickle(byte, seconds, rate) where offset >= byte && trickling(seconds: seconds, from: byte):
                chunkEnd = min(chunkEnd, offset + max(1, rate / 50))
                delay = .milliseconds(20)
            case let .trickle(byte, _, _)
            where offset < byte && chunkEnd > byte && !server.state.withLock({ $0.spent.contains("\(name)#trickle") }):
                chunkEnd = byte  // stop at the byte, so the trickle starts exactly there
            case let .bandwidth(rate):
                let size = max(1, rate / 50)
                chunkEnd = min(chunkEnd, offset + size)
                delay = .milliseconds(20)
            default: break
            }
        }
        var bytes = Array(file[offset..<chunkEnd])
        for case let .corrupt(byte, count) in faults {
            let lower = max(byte, offset), upper = min(byte + count, chunkEnd)
            guard lower < upper else { continue }
            for index in lower..<upper { bytes[index - offset] = UInt8(truncatingIfNeeded: index &* 131 &+ 7) }
        }
        offset = chunkEnd
        let write = bytes.isEmpty ? context.eventLoop.makeSucceededVoidFuture() : handler.write(bytes[...], context: context)
        let then = after, pace = delay
        write.assumeIsolated().whenComplete { [self] result in
            guard case .success = result else { return }
            switch then {
            case .close: context.close(promise: nil)
            case let .pause(time):
                context.eventLoop.assumeIsolated().scheduleTask(in: time) { self.next(context: context, handler: handler) }
            case .continue:
                if pace == .zero {
                    next(context: context, handler: handler)
                } else {
                    context.eventLoop.assumeIsolated().scheduleTask(in: pace) { self.next(context: context, handler: handler) }
                }
            }
        }
    }

    /// Whether the trickle is on now: it starts the first time a response reaches its byte,
    /// and slows only that response (a reconnect reaches a healthy node).
    private func trickling(seconds: Double, from byte: Int) -> Bool {
        server.state.withLock { state in
            if state.spent.insert("\(name)#trickle").inserted {
                state.trickleUntil[name] = .now() + .nanoseconds(Int64(seconds * 1e9))
                ownsTrickle = true
            }
            return ownsTrickle && NIODeadline.now() < (state.trickleUntil[name] ?? .now())
        }
    }

    private func spend(_ kind: String) -> Bool {
        server.state.withLock { $0.spent.insert("\(name)#\(kind)").inserted }
    }

    enum Action { case `continue`, close, pause(TimeAmount) }
}
