import CFFmpeg
import COpus
import Foundation

/// The producer side of one track: opens the source, turns it into 20 ms Opus frames and
/// pushes them into the ring, on a dedicated thread so blocking I/O never touches the
/// cooperative pool.
///
/// Frames carry their start position (ms) and the seek generation they belong to. When the
/// ring is full the thread waits in short naps; a seek or a stop ends the wait at once. When a
/// network source fails mid-track, the decoder reopens it at the next position it owes the
/// ring (see `TrackDecoder+Recovery`), so nothing is repeated and nothing skipped. The fill
/// rate and priority at start-up are in `TrackDecoder+Fill`.
final class TrackDecoder: @unchecked Sendable {
    var source: TrackSource
    let startMs: Int64
    let ring: FrameRing
    let control: TrackControl
    let encoderSettings: OpusEncoder.Settings
    /// Called once on the decoder thread when it is done: nil after the end of the input.
    let onExit: @Sendable (EngineError?) -> Void

    // Decoder-thread state.
    var generation: UInt32 = 0
    /// Position of the next frame to push, ms.
    var nextPositionMs: Int64 = 0
    /// Furthest point of the input reached, ms, for truncation checks.
    var reachedMs: Int64 = 0
    /// After a seek or a reopen: drop audio before this position.
    var trimBeforeMs: Int64?
    var passthrough = false
    var decoder: AudioDecoder?
    var encoder: OpusEncoder?
    let resampler = Resampler()
    var assembler = FrameAssembler()
    var restarts: [UInt64] = []
    var fruitlessRestarts = 0
    var positionAtLastRestart: Int64 = -1
    /// Stream timestamp (ms) of position 0; see `samplesToTrim`.
    var timelineOffsetMs: Int64?
    /// Live streams only: what was heard, so a rejoin does not repeat it.
    var overlap = LiveOverlap()
    var fill: FillPacing

    /// - Parameter paced: false for unpaced runs on virtual time, which fill at full speed.
    init(source: TrackSource, startMs: Int64, ring: FrameRing, control: TrackControl,
         encoderSettings: OpusEncoder.Settings, paced: Bool = true,
         onExit: @escaping @Sendable (EngineError?) -> Void)
    {
        fill = FillPacing(enabled: paced)
        self.source = source
        self.startMs = startMs
        self.ring = ring
        self.control = control
        self.encoderSettings = encoderSettings
        self.onExit = onExit
    }

    func start() {
        let thread = Thread { [self] in
            ThreadName.setCurrent("cadence.decoder")
            onExit(runCatching())
        }
        thread.name = "cadence.decoder"
        thread.stackSize = 1 << 20
        thread.start()
    }

    private func runCatching() -> EngineError? {
        do {
            try run()
            return nil
        } catch {
            return control.isCancelled ? nil : error
        }
    }

    private func run() throws(EngineError) {
        // A source that fails to open the first time fails the track at once: there is no
        // position to save and the user should hear about it now.
        var input = try open(at: startMs)
        passthrough = Self.canPassThrough(input.codecParameters) && control.volumeMilli.load(ordering: .relaxed) == 1000
        while true {
            do throws(EngineError) {
                try pump(input)
                guard !control.isCancelled else { return }
                // A live stream has no end: running out means the connection dropped.
                if isLive(input) { throw .networkError(source: source.location, message: "live stream ended") }
                // A cut-off download is a fault to recover from, so check before draining:
                // draining would pad the last partial frame with silence.
                try checkComplete(input)
                if !passthrough { try drain(input: input) }
                return
            } catch {
                guard !control.isCancelled else { return }
                // A server that keeps the connection open after the last byte is done, not
                // stalled: a timeout at the declared end is the end.
                if case .networkError = error, !isLive(input), input.durationIsDeclared, let expected = input.durationMs,
                   reachedMs >= expected - 50, !control.restartRequested
                {
                    if !passthrough { try drain(input: input) }
                    return
                }
                input = try recover(from: error, previous: input)
            }
        }
    }

    /// Opens the current source and positions it at `positionMs`.
    /// `previous`, after a fault: the input that failed, whose seek index the new one adopts.
    func open(at positionMs: Int64, previous: MediaInput? = nil) throws(EngineError) -> MediaInput {
        let control = control
        let input = try MediaInput(source: source, fastSeek: previous == nil) {
            control.isCancelled || control.restartRequested
        }
        if let previous { input.adoptIndex(from: previous) }
        if let duration = input.durationMs { control.durationMs.store(duration, ordering: .releasing) }
        nextPositionMs = positionMs
        reachedMs = positionMs
        // A stream without a duration (Icecast radio, a live HLS playlist) cannot seek: it
        // rejoins at the live edge.
        if positionMs > 0, !source.isLive, input.durationMs != nil {
            try input.seek(toMs: positionMs + (timelineOffsetMs ?? 0))
            trimBeforeMs = positionMs
        } else if positionMs > 0 {
            overlap.rejoined()
        }
        return input
    }

    /// Reads and converts packets until the end of the input, a seek, or a stop.
    private func pump(_ input: MediaInput) throws(EngineError) {
        guard let packet = av_packet_alloc() else { throw .encoderFailed(message: "av_packet_alloc failed") }
        var packetPointer: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&packetPointer) }

        while !control.isCancelled {
            if control.takeRestart() { throw .networkError(source: source.location, message: "restart requested (stuck)") }
            if let request = control.takeSeek() {
                try seek(input, toMs: request.targetMs, generation: request.generation)
            }
            guard try input.read(into: packet) else { return }
            defer { av_packet_unref(packet) }
            if isLive(input), let data = packet.pointee.data,
               overlap.isRepeat(UnsafeRawBufferPointer(start: data, count: Int(packet.pointee.size)))
            {
                continue
            }
            if let start = input.milliseconds(packet.pointee.pts) {
                let length = input.milliseconds(packet.pointee.duration) ?? 0
                reachedMs = max(reachedMs, start + length)
            }
            if passthrough, control.volumeMilli.load(ordering: .relaxed) == 1000, isWholeFrame(packet) {
                try passThrough(packet, input: input)
            } else {
                passthrough = false
                try decode(packet, input: input)
            }
        }
    }

    /// Opus at 48 kHz in one or two channels can go out as it is; multichannel Opus cannot.
    static func canPassThrough(_ parameters: UnsafePointer<AVCodecParameters>) -> Bool {
        parameters.pointee.codec_id == AV_CODEC_ID_OPUS && parameters.pointee.sample_rate == 48_000
            && parameters.pointee.ch_layout.nb_channels <= 2
    }

    private func isWholeFrame(_ packet: UnsafePointer<AVPacket>) -> Bool {
        guard let data = packet.pointee.data, packet.pointee.size > 0 else { return false }
        return opus_packet_get_nb_samples(data, packet.pointee.size, 48_000) == 960
    }

    private func passThrough(_ packet: UnsafePointer<AVPacket>, input: MediaInput) throws(EngineError) {
        let position = max(0, input.milliseconds(packet.pointee.pts) ?? nextPositionMs)
        if let trim = trimBeforeMs {
            if position + 20 <= trim { return }
            trimBeforeMs = nil
        }
        let bytes = UnsafeRawBufferPointer(start: packet.pointee.data, count: Int(packet.pointee.size))
        push(bytes, positionMs: position)
        nextPositionMs = position + 20
    }

    private func seek(_ input: MediaInput, toMs target: Int64, generation: UInt32) throws(EngineError) {
        self.generation = generation
        try input.seek(toMs: target + (timelineOffsetMs ?? 0))
        resetCodecState()
        trimBeforeMs = target
        nextPositionMs = target
        reachedMs = target
        fill.restart()
    }

    /// Forgets audio buffered inside the codec chain, which belongs to the old position.
    func resetCodecState() {
        decoder?.flush()
        encoder?.reset()
        resampler.reset()
        assembler.reset()
    }

    /// Live: flagged by the resolver, or a network stream without any duration (radio).
    func isLive(_ input: MediaInput) -> Bool {
        source.isLive || (source.isNetwork && input.durationMs == nil)
    }

    /// A declared duration that the data falls far short of means the input was cut off.
    private func checkComplete(_ input: MediaInput) throws(EngineError) {
        guard !source.isLive, input.durationIsDeclared, let expected = input.durationMs, expected > 0 else { return }
        let missing = expected - reachedMs
        if missing > 2_000, reachedMs < expected * 9 / 10 || source.isNetwork {
            throw .truncated(source: source.location, reachedMs: reachedMs, expectedMs: expected)
        }
    }
}
