/// What the transcoder made for every frame still in the ring, keyed by the frame's ring
/// sequence number: the 960 stereo samples after the filters and before the gain, the gain
/// ramp the frame was rendered with, where in the dry sample stream the frame begins, and the
/// source's own Opus packet when the frame could pass through.
///
/// It is what makes "re-render from here" possible: when a setting changes, the frames the
/// pacer has not sent yet are rendered again from these samples instead of being played out
/// under the old settings, and the two frames before the cut prime a fresh encoder so the
/// stream stays continuous. Storage is allocated once; only the decoder thread touches it.
final class FrameHistory {
    struct Entry {
        var sequence = -1
        var track: UInt32 = 0
        var positionMs: Int64 = 0
        var generation: UInt32 = 0
        var gainStart: Float = 1
        var gainEnd: Float = 1
        /// Stream sample index (48 kHz, before any filter) where the frame's audio begins: under
        /// timescale a frame spans more or fewer source samples than it holds.
        var source: Int64 = 0
        /// Bytes of the source's packet, 0 when the frame has none (it must be encoded).
        var packetLength = 0
        /// The track's running normalisation gain when the frame was cut, dB (`LoudnessStage`).
        var loudnessDB: Float = 0
        /// The limiter's gain at the frame's start and end as it was last rendered (1 = idle).
        var limiterStart: Float = 1
        var limiterEnd: Float = 1
        /// The frame lies in a crossfade's overlap: it goes through the limiter.
        var overlap = false
    }

    static let packetCapacity = 1_276
    let capacity: Int
    private var entries: [Entry]
    private let samples: UnsafeMutablePointer<Float>
    private let packets: UnsafeMutablePointer<UInt8>

    /// `capacity` must cover the ring and the frames a render batch holds.
    init(capacity: Int) {
        self.capacity = capacity
        entries = Array(repeating: Entry(), count: capacity)
        samples = .allocate(capacity: capacity * Transcoder.frameFloats)
        packets = .allocate(capacity: capacity * Self.packetCapacity)
    }

    deinit {
        samples.deallocate()
        packets.deallocate()
    }

    /// Keeps frame `entry.sequence`: its pre-gain samples and, if any, the source packet.
    func store(_ entry: Entry, samples pcm: UnsafePointer<Float>, packet: UnsafeRawBufferPointer?) {
        let slot = entry.sequence % capacity
        var entry = entry
        (samples + slot * Transcoder.frameFloats).update(from: pcm, count: Transcoder.frameFloats)
        if let packet, let base = packet.baseAddress, packet.count <= Self.packetCapacity {
            UnsafeMutableRawPointer(packets + slot * Self.packetCapacity).copyMemory(from: base, byteCount: packet.count)
            entry.packetLength = packet.count
        } else {
            entry.packetLength = 0
        }
        entries[slot] = entry
    }

    /// The entry for `sequence`, if it is still kept.
    func entry(_ sequence: Int) -> Entry? {
        guard sequence >= 0 else { return nil }
        let entry = entries[sequence % capacity]
        return entry.sequence == sequence ? entry : nil
    }

    /// Records the gains a frame was rendered with (again), for the next re-render.
    func setGains(_ sequence: Int, start: Float, end: Float) {
        let slot = sequence % capacity
        guard entries[slot].sequence == sequence else { return }
        entries[slot].gainStart = start
        entries[slot].gainEnd = end
    }

    /// Records the limiter's gains a frame was rendered with (again).
    func setLimiter(_ sequence: Int, start: Float, end: Float) {
        let slot = sequence % capacity
        guard entries[slot].sequence == sequence else { return }
        entries[slot].limiterStart = start
        entries[slot].limiterEnd = end
    }

    func samples(_ sequence: Int) -> UnsafePointer<Float> {
        UnsafePointer(samples + (sequence % capacity) * Transcoder.frameFloats)
    }

    func packet(_ sequence: Int) -> UnsafeRawBufferPointer {
        let slot = sequence % capacity
        return UnsafeRawBufferPointer(start: packets + slot * Self.packetCapacity, count: entries[slot].packetLength)
    }
}
