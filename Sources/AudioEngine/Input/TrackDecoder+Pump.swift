import CFFmpeg
import Foundation

/// The decoder thread's per-packet work, a frame's way from its packet to the ring: read a
/// packet (`av_read_frame`, in `MediaInput.read` below), run it through the `Transcoder` into
/// a `FrameBatch` this thread owns, and push the frames into the `FrameRing` within the fill
/// rate. Track changes, seeks, re-renders and recovery happen around this loop, in the other
/// `TrackDecoder` files.
extension TrackDecoder {
    /// Reads and converts packets until the end of the input, a seek, or a stop.
    func pump(_ input: MediaInput) throws(EngineError) {
        guard let packet = av_packet_alloc() else { throw .encoderFailed(message: "av_packet_alloc failed") }
        var packetPointer: UnsafeMutablePointer<AVPacket>? = packet
        defer { av_packet_free(&packetPointer) }

        while !control.isCancelled {
            if control.takeRestart() { throw .stalled(source: source.location) }
            if let request = control.takeSeek() {
                guard request.track == ordinal else {
                    // The decoder had moved on to the next track; the seek is in the one playing.
                    generation = request.generation
                    rewind = (request.track, request.targetMs)
                    return
                }
                try seek(input, toMs: request.targetMs, generation: request.generation)
            }
            handleRerender()
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
            transcoder.targetGain = control.gain
            try transcoder.feed(packet, into: batch)
            pushBatch()
        }
    }

    /// Pushes what the transcoder made (and whatever it still has complete), in order.
    func pushBatch() {
        while true {
            for index in 0..<batch.count {
                if control.isCancelled || control.seekPending { break }
                if control.rerenderCount != rerenderHandled { break }
                push(
                    batch.frame(index), positionMs: batch.positions[index], track: batch.tracks[index],
                    generation: batch.generations[index])
            }
            if batch.count > 0 { nextPositionMs = batch.positions[batch.count - 1] + 20 }
            batch.removeAll()
            // Frames of the batch not pushed yet are in the history: the re-render makes them.
            handleRerender()
            guard transcoder.hasCompleteFrames, !control.isCancelled, !control.seekPending else { return }
            transcoder.assemble(into: batch)
            if batch.count == 0 { return }
        }
    }

    /// Pushes one frame, within the fill rate and waiting while the ring is full. A frame made
    /// stale by a pending seek or a stop is dropped instead.
    func push(_ frame: UnsafeRawBufferPointer, positionMs: Int64, track: UInt32, generation: UInt32) {
        if let fadeOutEnd, ring.nextSequence >= fadeOutEnd {
            // The skip's fade-out is out: the stream ends here (the pacer plays the ring out).
            control.cancel()
            return
        }
        if fill.enabled { awaitFillBudget() }
        while !ring.push(frame, positionMs: positionMs, generation: generation, track: track) {
            if control.isCancelled || control.seekPending || control.rerenderCount != rerenderHandled { return }
            if fill.enabled {
                let free = Int64(FillPacing.refillFrames - (ring.capacity - ring.count))
                control.nap(nanoseconds: UInt64(max(1, free)) * FillPacing.framePeriod)
            } else {
                usleep(2_000)
            }
        }
        fill.pushed += 1
    }

    private func awaitFillBudget() {
        let now = MonotonicClock.nanoseconds()
        if fill.start == nil { fill.start = now }
        let wait = fill.wait(now: now)
        if wait > 0 { control.nap(nanoseconds: wait) }
    }
}

extension MediaInput {
    /// Reads the next packet of the audio stream into `packet`. Returns false at end of input.
    func read(into packet: UnsafeMutablePointer<AVPacket>) throws(EngineError) -> Bool {
        while true {
            interrupt.arm()
            let status = av_read_frame(format, packet)
            interrupt.disarm()
            if status == cadence_averror_eof() { return false }
            if status < 0 { throw Self.error(status, source: source, cancelled: interrupt.wasCancelled, opening: false) }
            if packet.pointee.stream_index == streamIndex { return true }
            av_packet_unref(packet)
        }
    }
}

/// How fast a decoder fills its ring.
///
/// A track starts as soon as a few frames are buffered, so the first `prefillFrames` go in at
/// full speed. Beyond that the decoder works at most `fillSpeed` frames per 20 ms until the
/// ring is full; a hundred tracks that start together therefore each get their first frames
/// before any of them runs five seconds ahead. (Lowering the thread's nice value after the
/// prefill was tried: on a machine busy with other work, 100 decoders at nice +5 could not
/// keep up with playback, so the decoders keep normal priority.) A full ring
/// waits for room in one long nap that a seek or a stop ends at once, instead of polling.
struct FillPacing {
    static let prefillFrames = 5
    /// Frames per 20 ms once the prefill is in: the ring gains `fillSpeed - 1` frames a tick.
    static let fillSpeed: UInt64 = 3
    /// A full ring waits until this many slots are free (0.5 s of audio), then refills them
    /// in one go.
    static let refillFrames = 25
    static let framePeriod: UInt64 = 20_000_000

    /// False for unpaced (`--fast`) runs, where time is virtual and the decoder sets the pace.
    let enabled: Bool
    /// When the current fill began (first push after start or seek), ns.
    var start: UInt64?
    var pushed: UInt64 = 0

    init(enabled: Bool) { self.enabled = enabled }

    /// How long to wait before pushing the next frame, ns (0: push now).
    func wait(now: UInt64) -> UInt64 {
        guard enabled, let start, pushed >= UInt64(Self.prefillFrames) else { return 0 }
        let allowedAt = start + (pushed - UInt64(Self.prefillFrames)) * Self.framePeriod / Self.fillSpeed
        return allowedAt > now ? allowedAt - now : 0
    }

    /// Starts a new fill, after a seek.
    mutating func restart() {
        start = nil
        pushed = 0
    }
}

/// Frames the transcoder produced for one packet, in a buffer its caller owns and reuses, so
/// the decoder thread allocates nothing per frame: the caller pushes them into the ring, then
/// hands the batch back empty.
final class FrameBatch {
    static let capacity = 32
    static let maxPacket = 1_500
    private let bytes: UnsafeMutablePointer<UInt8>
    private(set) var lengths: [Int]
    private(set) var positions: [Int64]
    private(set) var tracks: [UInt32]
    private(set) var generations: [UInt32]
    private(set) var sequences: [Int]
    private(set) var count = 0

    init() {
        bytes = .allocate(capacity: Self.capacity * Self.maxPacket)
        lengths = Array(repeating: 0, count: Self.capacity)
        positions = Array(repeating: 0, count: Self.capacity)
        tracks = Array(repeating: 0, count: Self.capacity)
        generations = Array(repeating: 0, count: Self.capacity)
        sequences = Array(repeating: 0, count: Self.capacity)
    }

    deinit { bytes.deallocate() }

    var isFull: Bool { count == Self.capacity }

    /// Where the next frame's bytes go; `commit` makes it part of the batch.
    var nextStorage: UnsafeMutablePointer<UInt8> { bytes + count * Self.maxPacket }

    func commit(length: Int, positionMs: Int64, track: UInt32, generation: UInt32, sequence: Int) {
        lengths[count] = length
        positions[count] = positionMs
        tracks[count] = track
        generations[count] = generation
        sequences[count] = sequence
        count += 1
    }

    func frame(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: bytes + index * Self.maxPacket, count: lengths[index])
    }

    func removeAll() { count = 0 }
}
