import CFFmpeg
import Foundation

/// What libavformat says about a direct media URL or file before it is played: enough for
/// a Lavalink `http`/`local` track (title, author, length, container).
package struct MediaProbe: Sendable {
    package var title: String?
    package var artist: String?
    package var durationMs: Int64?
    /// lavaplayer's container name for the probe trailer.
    package var container: String
    /// The location after redirects.
    package var finalLocation: String

    /// Why a location is not playable media.
    package struct Failure: Error, Sendable {
        package var message: String
        /// Nothing there (404, ENOENT) or not audio: a `common` load failure, not a fault.
        package var isCommon: Bool
    }

    /// Opens `location` on a thread of its own (libavformat blocks) and reads its header.
    package static func probe(
        _ location: String, allows: @escaping @Sendable (String) -> Bool,
        timeoutSeconds: Int = 8
    ) async throws(Failure) -> MediaProbe {
        let result: Result<MediaProbe, Failure> = await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: probeBlocking(location, allows: allows, timeoutSeconds: timeoutSeconds))
            }
            thread.name = "cadence.node.probe"
            thread.start()
        }
        return try result.get()
    }

    private static func probeBlocking(
        _ location: String, allows: (String) -> Bool,
        timeoutSeconds: Int
    ) -> Result<MediaProbe, Failure> {
        av_log_set_level(AV_LOG_FATAL)
        var options: OpaquePointer?
        let microseconds = String(timeoutSeconds * 1_000_000)
        av_dict_set(&options, "rw_timeout", microseconds, 0)
        av_dict_set(&options, "timeout", microseconds, 0)
        av_dict_set(&options, "protocol_whitelist", "file,http,https,tcp,tls,crypto", 0)
        av_dict_set(&options, "max_redirects", "3", 0)
        defer { av_dict_free(&options) }
        var context: UnsafeMutablePointer<AVFormatContext>?
        var status = avformat_open_input(&context, location, nil, &options)
        guard status >= 0, let opened = context else { return .failure(failure(status)) }
        defer { avformat_close_input(&context) }
        let final = Self.location(of: opened) ?? location
        if final != location, !allows(final) {
            return .failure(Failure(message: "Redirected to a location that is not allowed", isCommon: false))
        }
        status = avformat_find_stream_info(opened, nil)
        guard status >= 0 else { return .failure(failure(status)) }
        guard av_find_best_stream(opened, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0) >= 0 else {
            return .failure(Failure(message: "No audio stream", isCommon: true))
        }
        let duration = opened.pointee.duration > 0 ? opened.pointee.duration / 1000 : nil
        let formatName = opened.pointee.iformat.map { String(cString: $0.pointee.name) } ?? ""
        return .success(
            MediaProbe(
                title: tag("title", opened), artist: tag("artist", opened) ?? tag("album_artist", opened),
                durationMs: duration, container: container(formatName), finalLocation: final))
    }

    private static func tag(_ key: String, _ format: UnsafeMutablePointer<AVFormatContext>) -> String? {
        // Ogg and Matroska keep tags on the stream, MP3 and MP4 on the container.
        if let entry = av_dict_get(format.pointee.metadata, key, nil, 0), let value = entry.pointee.value {
            let text = String(cString: value)
            if !text.isEmpty { return text }
        }
        for index in 0..<Int(format.pointee.nb_streams) {
            guard let stream = format.pointee.streams[index],
                let entry = av_dict_get(stream.pointee.metadata, key, nil, 0), let value = entry.pointee.value
            else { continue }
            let text = String(cString: value)
            if !text.isEmpty { return text }
        }
        return nil
    }

    private static func location(of format: UnsafeMutablePointer<AVFormatContext>) -> String? {
        guard let pb = format.pointee.pb else { return nil }
        var value: UnsafeMutablePointer<UInt8>?
        guard av_opt_get(pb, "location", AV_OPT_SEARCH_CHILDREN, &value) >= 0, let value else { return nil }
        defer { av_free(value) }
        return String(cString: value)
    }

    /// libavformat's demuxer name to lavaplayer's container id.
    static func container(_ name: String) -> String {
        switch name {
        case "mp3": "mp3"
        case "ogg": "ogg"
        case "matroska,webm": "matroska/webm"
        case let n where n.hasPrefix("mov,mp4"): "mp4"
        case "wav": "wav"
        case "flac": "flac"
        case "aac": "adts"
        case "mpegts": "mpegts-adts"
        default: name
        }
    }

    private static func failure(_ status: Int32) -> Failure {
        var buffer = [CChar](repeating: 0, count: 256)
        cadence_av_err2str(status, &buffer, buffer.count)
        let message = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let common =
            status == cadence_averror_http_not_found() || status == cadence_averror(ENOENT)
            || status == cadence_averror_invaliddata() || status == cadence_averror_http_forbidden()
        return Failure(message: message, isCommon: common)
    }
}
