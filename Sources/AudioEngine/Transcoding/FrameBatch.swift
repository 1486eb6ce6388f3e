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
