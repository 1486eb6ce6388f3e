import CFFmpeg
import Foundation
import Synchronization

/// An opened container (file, http/https, HLS, …) and its best audio stream.
///
/// Every blocking libav call made through it can be abandoned: an interrupt callback checks
/// the owner's cancel flag and an I/O deadline, so `stop()` or a dead server never leaves the
/// decoder thread stuck. Not thread-safe: only the decoder thread uses it. Reading packets is
/// the decoder's per-packet work, in `TrackDecoder+Pump`.
final class MediaInput {
    let source: String
    private(set) var format: UnsafeMutablePointer<AVFormatContext>?
    let streamIndex: Int32
    let stream: UnsafeMutablePointer<AVStream>
    let interrupt: InterruptState
    /// How far before a seek target the seek aims, so an inexact seek never lands after it.
    private let seekPrerollMs: Int64

    /// libav protocols a source may use: no `concat:`, `subfile:`, `pipe:` or other tricks
    /// hidden in a user-supplied URL.
    static let protocolWhitelist = "file,http,https,tcp,tls,crypto"

    /// Opens `source`, probing and finding its best audio stream. `cancelled` aborts any
    /// blocking call as soon as it turns true; reads that see no data for `ioTimeoutSeconds`
    /// fail as a network error, so a stalled server is noticed.

    /// `fastSeek` (network sources only): see `seek`; leave it off when an index will be
    /// adopted from an earlier input of the same stream (`adoptIndex`), which seeks exactly.
    init(
        source: TrackSource, fastSeek: Bool = true, ioTimeoutSeconds: Int = 3,
        cancelled: @escaping @Sendable () -> Bool
    ) throws(EngineError) {
        _ = Self.quietLibav
        self.source = source.location
        let location = source.location
        interrupt = InterruptState(cancelled: cancelled, timeoutNanoseconds: UInt64(ioTimeoutSeconds) * 1_000_000_000)

        var context = avformat_alloc_context()
        guard context != nil else { throw .encoderFailed(message: "avformat_alloc_context failed") }
        context!.pointee.interrupt_callback = AVIOInterruptCB(
            callback: { opaque in
                guard let opaque else { return 0 }
                return Unmanaged<InterruptState>.fromOpaque(opaque).takeUnretainedValue().shouldAbort ? 1 : 0
            },
            opaque: Unmanaged.passUnretained(interrupt).toOpaque())

        var options: OpaquePointer?
        let microseconds = String(ioTimeoutSeconds * 1_000_000)
        av_dict_set(&options, "rw_timeout", microseconds, 0)
        av_dict_set(&options, "timeout", microseconds, 0)
        // Reconnecting is the decoder's job, at the position it knows was played.
        av_dict_set(&options, "reconnect", "0", 0)
        av_dict_set(&options, "protocol_whitelist", Self.protocolWhitelist, 0)
        if source.allowsLocation != nil { av_dict_set(&options, "max_redirects", "3", 0) }
        if source.isNetwork, fastSeek {
            // Without fast seeking, libav's MP3 demuxer seeks a stream by reading it again
            // from the start: a reopen at 50 s over a slow link downloads 50 s before the
            // first new frame. Fast seeks (bitrate or TOC) may land a little late, so
            // `seek` aims `seekPrerollMs` early and the decoder trims up to the target.
            av_dict_set(&options, "fflags", "+fastseek", 0)
            seekPrerollMs = 2_000
        } else {
            seekPrerollMs = 0
        }
        if !source.httpHeaders.isEmpty {
            let headers = source.httpHeaders.map { "\($0.key): \($0.value)\r\n" }.joined()
            av_dict_set(&options, "headers", headers, 0)
        }
        defer { av_dict_free(&options) }

        interrupt.arm(seconds: 8)
        var status = avformat_open_input(&context, location, nil, &options)
        guard status >= 0, let opened = context else {
            throw Self.error(status, source: location, cancelled: interrupt.wasCancelled)
        }
        if let allows = source.allowsLocation, let final = Self.finalLocation(opened), final != location, !allows(final) {
            avformat_close_input(&context)
            throw .refusedLocation(source: location, location: final)
        }
        status = avformat_find_stream_info(opened, nil)
        guard status >= 0 else {
            avformat_close_input(&context)
            throw Self.error(status, source: location, cancelled: interrupt.wasCancelled)
        }
        let index = av_find_best_stream(opened, AVMEDIA_TYPE_AUDIO, -1, -1, nil, 0)
        guard index >= 0 else {
            avformat_close_input(&context)
            throw index == cadence_averror_stream_not_found()
                ? .noAudioStream(source: location)
                : Self.error(index, source: location, cancelled: false)
        }
        // Tell the demuxer to skip every other stream (video, subtitles, cover art).
        for i in 0..<Int(opened.pointee.nb_streams) where Int32(i) != index {
            opened.pointee.streams[i]!.pointee.discard = AVDISCARD_ALL
        }
        format = opened
        streamIndex = index
        stream = opened.pointee.streams[Int(index)]!
        interrupt.disarm()
    }

    deinit { avformat_close_input(&format) }

    /// libav's own log lines would interleave with ours on stderr; its failures reach the user
    /// as typed errors instead. `CADENCE_LIBAV_LOG=1` brings them back for debugging (`2`: libav's debug level).
    private static let quietLibav: Void = {
        let level = getenv("CADENCE_LIBAV_LOG").map { String(cString: $0) } ?? ""
        av_log_set_level(level == "2" ? AV_LOG_DEBUG : level == "1" ? AV_LOG_INFO : AV_LOG_FATAL)
    }()

    var codecParameters: UnsafeMutablePointer<AVCodecParameters> { stream.pointee.codecpar }
    var timeBase: AVRational { stream.pointee.time_base }

    /// The duration the container declares, in ms, or nil when unknown.
    var durationMs: Int64? {
        guard let format, format.pointee.duration > 0 else { return nil }
        return format.pointee.duration / 1000
    }

    /// Whether the duration comes from the container itself rather than a bitrate guess, so
    /// ending far short of it means the data was cut off.
    var durationIsDeclared: Bool {
        guard let format else { return false }
        return format.pointee.duration_estimation_method != AVFMT_DURATION_FROM_BITRATE
    }

    /// Seeks so that the next packets start at or before `milliseconds` (network streams:
    /// up to a few seconds before it; the decoder trims what precedes the target).
    func seek(toMs milliseconds: Int64) throws(EngineError) {
        let target = max(0, milliseconds - seekPrerollMs) * 1000  // AV_TIME_BASE units
        interrupt.arm()
        let status = avformat_seek_file(format, -1, Int64.min, target, target, 0)
        interrupt.disarm()
        if status < 0 { throw Self.error(status, source: source, cancelled: interrupt.wasCancelled, opening: false) }
    }

    /// Takes over the seek index `other` built while it read the same stream, so a seek
    /// lands exactly (MP3 is seeked through this index) without reading from the start.
    func adoptIndex(from other: MediaInput) {
        guard other.codecParameters.pointee.codec_id == codecParameters.pointee.codec_id else { return }
        let count = avformat_index_get_entries_count(other.stream)
        for index in 0..<count {
            guard let entry = avformat_index_get_entry(other.stream, index) else { continue }
            av_add_index_entry(
                stream, entry.pointee.pos, entry.pointee.timestamp, Int32(entry.pointee.size),
                entry.pointee.min_distance, entry.pointee.flags)
        }
    }

    /// Where the HTTP protocol ended up after redirects, or nil for other protocols. Checked
    /// after the open: the hop was requested, but nothing from a refused place is played.
    private static func finalLocation(_ format: UnsafeMutablePointer<AVFormatContext>) -> String? {
        guard let pb = format.pointee.pb else { return nil }
        var value: UnsafeMutablePointer<UInt8>?
        guard av_opt_get(pb, "location", AV_OPT_SEARCH_CHILDREN, &value) >= 0, let value else { return nil }
        defer { av_free(value) }
        return String(cString: value)
    }

    /// Converts a timestamp of the audio stream into ms, or nil when it has none.
    func milliseconds(_ timestamp: Int64) -> Int64? {
        guard timestamp != cadence_av_nopts_value() else { return nil }
        return av_rescale_q(timestamp, timeBase, AVRational(num: 1, den: 1000))
    }

    static func error(_ code: Int32, source: String, cancelled: Bool, opening: Bool = true) -> EngineError {
        if code == cadence_averror_exit(), !cancelled {
            return .networkError(source: source, message: "no data for too long (I/O timeout)")
        }
        return .libav(code, source: source, opening: opening)
    }
}

/// What the libav interrupt callback consults: the owner's cancel flag and an I/O deadline.
final class InterruptState: @unchecked Sendable {
    let cancelled: @Sendable () -> Bool
    let timeout: UInt64
    private let deadline = Atomic<UInt64>(.max)
    private let cancelSeen = Atomic<Bool>(false)

    init(cancelled: @escaping @Sendable () -> Bool, timeoutNanoseconds: UInt64) {
        self.cancelled = cancelled
        timeout = timeoutNanoseconds
    }

    func arm() { deadline.store(MonotonicClock.nanoseconds() + timeout, ordering: .relaxed) }
    func arm(seconds: UInt64) { deadline.store(MonotonicClock.nanoseconds() + seconds * 1_000_000_000, ordering: .relaxed) }
    func disarm() { deadline.store(.max, ordering: .relaxed) }
    var wasCancelled: Bool { cancelSeen.load(ordering: .relaxed) }

    var shouldAbort: Bool {
        if cancelled() {
            cancelSeen.store(true, ordering: .relaxed)
            return true
        }
        return MonotonicClock.nanoseconds() > deadline.load(ordering: .relaxed)
    }
}
