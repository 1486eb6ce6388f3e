import Foundation
import NIOCore
import NIOHTTP1

extension MediaRequestHandler {
    /// Answers a request for a live stream or a live HLS playlist or segment; false when
    /// `name` is none of these.
    func respondLive(to request: HTTPRequestHead, name: String, context: ChannelHandlerContext) -> Bool {
        let now = NIODeadline.now()
        enum Plan { case radio(MediaServer.LiveStream), file(String, [UInt8]), missing }
        let plan = server.state.withLock { state -> Plan? in
            if let stream = state.live[name] {
                state.requests[name, default: 0] += 1
                return .radio(stream)
            }
            if name.hasSuffix(".m3u8"), let stream = state.hls[String(name.dropLast(5))] {
                state.requests[name, default: 0] += 1
                guard let text = MediaServer.playlist(String(name.dropLast(5)), stream, at: now) else { return .missing }
                return .file("application/vnd.apple.mpegurl", Array(text.utf8))
            }
            let parts = name.split(separator: "/")
            if parts.count == 2, let stream = state.hls[String(parts[0])], parts[1].hasSuffix(".ts"),
                let sequence = Int(parts[1].dropLast(3))
            {
                state.requests[String(parts[0]) + "/segments", default: 0] += 1
                let available = Int(Double((now - stream.started).nanoseconds) / 1e9 / stream.segmentSeconds)
                guard sequence < min(available, stream.segments.count) else { return .missing }
                return .file("video/mp2t", stream.segments[sequence])
            }
            return nil
        }
        switch plan {
        case nil:
            return false
        case .missing?:
            var headers = HTTPHeaders([("Content-Length", "0")])
            headers.add(name: "Connection", value: "close")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .notFound, headers: headers))),
                promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        case let .file(type, bytes)?:
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: type)
            headers.add(name: "Content-Length", value: String(bytes.count))
            headers.add(name: "Cache-Control", value: "no-cache")
            context.write(
                wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: .ok, headers: headers))),
                promise: nil)
            var buffer = context.channel.allocator.buffer(capacity: bytes.count)
            buffer.writeBytes(bytes)
            context.write(wrapOutboundOut(.body(.byteBuffer(buffer))), promise: nil)
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        case let .radio(stream)?:
            let metadata = request.headers.first(name: "icy-metadata") == "1"
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: stream.contentType)
            headers.add(name: "icy-name", value: stream.title)
            headers.add(name: "icy-br", value: String(stream.bytesPerSecond * 8 / 1000))
            headers.add(name: "Cache-Control", value: "no-cache, no-store")
            headers.add(name: "Connection", value: "close")
            if metadata { headers.add(name: "icy-metaint", value: String(MediaServer.icyMetaInterval)) }
            // HTTP/1.0 without a length, as Icecast answers: the body ends when the station does.
            context.writeAndFlush(
                wrapOutboundOut(.head(HTTPResponseHead(version: .http1_0, status: .ok, headers: headers))),
                promise: nil)
            LiveSender(stream: stream, metadata: metadata, start: max(0, MediaServer.liveEdge(stream, at: now) - stream.burstBytes))
                .next(context: context, handler: self)
        }
        return true
    }
}

/// Sends one listener's live stream: from the edge where it joined, each 20 ms whatever the
/// edge advanced by, with an ICY metadata block every `icyMetaInterval` audio bytes when the
/// client asked for them.
final class LiveSender: @unchecked Sendable {
    let stream: MediaServer.LiveStream
    let metadata: Bool
    var position: Int
    var untilMetadata = MediaServer.icyMetaInterval
    var titleSent = false

    init(stream: MediaServer.LiveStream, metadata: Bool, start: Int) {
        self.stream = stream
        self.metadata = metadata
        position = start
    }

    func next(context: ChannelHandlerContext, handler: MediaRequestHandler) {
        let edge = MediaServer.liveEdge(stream, at: .now())
        var bytes: [UInt8] = []
        while position < edge {
            let audio = metadata ? min(edge - position, untilMetadata) : edge - position
            for offset in position..<position + audio { bytes.append(stream.data[offset % stream.data.count]) }
            position += audio
            guard metadata else { continue }
            untilMetadata -= audio
            if untilMetadata == 0 {
                bytes += metadataBlock()
                untilMetadata = MediaServer.icyMetaInterval
            }
        }
        let write = bytes.isEmpty ? context.eventLoop.makeSucceededVoidFuture() : handler.write(bytes[...], context: context)
        write.assumeIsolated().whenComplete { [self] result in
            guard case .success = result, context.channel.isActive else { return }
            context.eventLoop.assumeIsolated().scheduleTask(in: .milliseconds(20)) { self.next(context: context, handler: handler) }
        }
    }

    /// The title once, then empty blocks (Icecast repeats it only when it changes).
    private func metadataBlock() -> [UInt8] {
        guard !titleSent else { return [0] }
        titleSent = true
        var text = Array("StreamTitle='\(stream.title.replacingOccurrences(of: "'", with: ""))';".utf8)
        let blocks = (text.count + 15) / 16
        text += [UInt8](repeating: 0, count: blocks * 16 - text.count)
        return [UInt8(blocks)] + text
    }
}
