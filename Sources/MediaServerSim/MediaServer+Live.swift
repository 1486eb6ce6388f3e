import Foundation
import NIOCore

/// Live sources, as radio stations and live HLS streams serve them: no Content-Length, no
/// Range, every listener joining at the live edge, which advances with the wall clock.
extension MediaServer {
    /// An Icecast-style endless stream: `data` (plain frames of constant size, no headers)
    /// looped, served at `bytesPerSecond`, with ICY headers and in-band ICY metadata.
    struct LiveStream: Sendable {
        var data: [UInt8]
        var bytesPerSecond: Int
        /// Joins and the live edge are aligned to whole frames.
        var frameBytes: Int
        var contentType: String
        var title: String
        /// Bytes from before the edge a new listener gets at once, as Icecast's burst-on-connect.
        var burstBytes: Int
        var started: NIODeadline
    }

    /// A live HLS stream: segment k becomes available `(k + 1) × segmentSeconds` after the
    /// start and the playlist lists only the newest `window` of them, without an end tag.
    struct LiveHLS: Sendable {
        var segments: [[UInt8]]
        var segmentSeconds: Double
        var window: Int
        var started: NIODeadline
    }

    /// ICY metadata interval: the audio bytes between two metadata blocks.
    static let icyMetaInterval = 8_192

    /// Serves `data` at `/<name>` as an endless Icecast-style stream starting now. `data` must
    /// be frames of `frameBytes` each (for MP3: no ID3 tag, no Xing frame, constant bitrate).
    /// A listener joins `burstSeconds` behind the edge (Icecast's burst-on-connect), so a
    /// reconnecting one is sent again audio it already has.
    package func addLive(
        _ name: String, data: Data, bytesPerSecond: Int, frameBytes: Int, burstSeconds: Double = 0,
        contentType: String = "audio/mpeg", title: String = "Cadence test radio"
    ) {
        let frame = max(1, frameBytes)
        let burst = Int(burstSeconds * Double(bytesPerSecond)) / frame * frame
        state.withLock {
            $0.live[name] = LiveStream(
                data: [UInt8](data), bytesPerSecond: bytesPerSecond, frameBytes: frame,
                contentType: contentType, title: title, burstBytes: burst, started: .now())
        }
    }

    /// Serves a live HLS stream starting now: `/<name>.m3u8` lists a sliding window of
    /// `window` segments, served as `/<name>/<sequence>.ts`.
    package func addLiveHLS(_ name: String, segments: [Data], segmentSeconds: Double, window: Int = 4) {
        state.withLock {
            $0.hls[name] = LiveHLS(
                segments: segments.map { [UInt8]($0) }, segmentSeconds: segmentSeconds,
                window: max(1, window), started: .now())
        }
    }

    /// Closes every open connection at once, and refuses (closes) new ones for `seconds`: a
    /// network outage as the client sees it.
    package func dropConnections(refusingFor seconds: Double = 0) {
        let channels = state.withLock { state -> [any Channel] in
            state.refuseUntil = .now() + .nanoseconds(Int64(seconds * 1e9))
            return Array(state.openChannels.values)
        }
        for channel in channels { channel.close(promise: nil) }
    }

    /// The live edge of `stream` now, in bytes since its start (not wrapped).
    static func liveEdge(_ stream: LiveStream, at now: NIODeadline) -> Int {
        let elapsed = Double((now - stream.started).nanoseconds) / 1e9
        let bytes = Int(elapsed * Double(stream.bytesPerSecond))
        return bytes / stream.frameBytes * stream.frameBytes
    }

    /// The playlist of `stream` now, or nil before its first segment is complete.
    static func playlist(_ name: String, _ stream: LiveHLS, at now: NIODeadline) -> String? {
        let elapsed = Double((now - stream.started).nanoseconds) / 1e9
        let available = min(stream.segments.count, Int(elapsed / stream.segmentSeconds))
        guard available > 0 else { return nil }
        let first = max(0, available - stream.window)
        var lines = [
            "#EXTM3U", "#EXT-X-VERSION:3",
            "#EXT-X-TARGETDURATION:\(Int(stream.segmentSeconds.rounded(.up)))",
            "#EXT-X-MEDIA-SEQUENCE:\(first)"
        ]
        for sequence in first..<available {
            lines.append(String(format: "#EXTINF:%.3f,", stream.segmentSeconds))
            lines.append("/\(name)/\(sequence).ts")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
