import CFFmpeg

/// Why a track could not be played, with libav's own message where there is one.
///
/// These are the original design's error kinds; each carries the source it concerns so a
/// log line or a chat reply can say what failed without more context.
public enum EngineError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The file or URL does not exist (ENOENT, HTTP 404).
    case streamNotFound(source: String, message: String)
    /// Connection refused, reset, timed out, or an HTTP error other than 404.
    case networkError(source: String, message: String)
    /// libav could not recognise the data as any audio format.
    case unsupportedFormat(source: String, message: String)
    /// The container holds no audio stream (a video-only file, say).
    case noAudioStream(source: String)
    /// Decoding kept failing past the point where skipping packets could help.
    case decoderFailed(source: String, message: String)
    /// The input ended far short of the duration its container declares (a cut-off download).
    case truncated(source: String, reachedMs: Int64, expectedMs: Int64)
    /// libopus or libswresample refused to set up or to process audio.
    case encoderFailed(message: String)
    /// The server redirected to a location the source's policy refuses (a private address).
    case refusedLocation(source: String, location: String)
    /// No frame came for the stuck threshold while playing (bytes that trickle but never make
    /// a frame); the decoder is restarted at the position owed, like after a drop.
    case stalled(source: String)

    public var description: String {
        switch self {
        case let .streamNotFound(source, message): "stream not found: \(source) (\(message))"
        case let .networkError(source, message): "network error on \(source): \(message)"
        case let .unsupportedFormat(source, message): "unsupported or corrupt input \(source): \(message)"
        case let .noAudioStream(source): "no audio stream in \(source)"
        case let .decoderFailed(source, message): "decoder failed on \(source): \(message)"
        case let .truncated(source, reached, expected):
            "input cut off: \(source) ended at \(reached) ms of \(expected) ms"
        case let .encoderFailed(message): "encoder failed: \(message)"
        case let .refusedLocation(source, location): "\(source) redirected to \(location), which is not allowed"
        case let .stalled(source): "no audio came from \(source) within the stuck threshold"
        }
    }

    /// Maps a libav error code met while opening or reading `source` to an engine error.
    static func libav(_ code: Int32, source: String, opening: Bool) -> EngineError {
        let message = avErrorString(code)
        switch code {
        case cadence_averror(ENOENT), cadence_averror_http_not_found(), cadence_averror_stream_not_found():
            return .streamNotFound(source: source, message: message)
        case cadence_averror_invaliddata(), cadence_averror_decoder_not_found():
            return opening
                ? .unsupportedFormat(source: source, message: message)
                : .decoderFailed(source: source, message: message)
        case cadence_averror(ECONNREFUSED), cadence_averror(ECONNRESET), cadence_averror(ETIMEDOUT),
            cadence_averror(EHOSTUNREACH), cadence_averror(ENETUNREACH), cadence_averror(EIO),
            cadence_averror(EPIPE), cadence_averror_http_forbidden(), cadence_averror_http_other_4xx(),
            cadence_averror_http_server_error(), cadence_averror_exit():
            return .networkError(source: source, message: message)
        default:
            return opening
                ? .unsupportedFormat(source: source, message: message)
                : .decoderFailed(source: source, message: message)
        }
    }
}

/// libav's text for an error code (av_strerror).
func avErrorString(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 128)
    cadence_av_err2str(code, &buffer, buffer.count)
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}
