/// The fixed 12-byte RTP header Discord expects for Opus (doc §2.2): version 2, no padding,
/// no extension, no CSRC, payload type 0x78. Sequence and timestamp wrap.
package struct RTPHeader: Sendable, Equatable {
    package static let size = 12
    package static let payloadType: UInt8 = 0x78
    /// 20 ms at the 48 kHz RTP clock.
    package static let samplesPerFrame: UInt32 = 960

    package var sequence: UInt16
    package var timestamp: UInt32
    package var ssrc: UInt32

    package init(sequence: UInt16, timestamp: UInt32, ssrc: UInt32) {
        self.sequence = sequence
        self.timestamp = timestamp
        self.ssrc = ssrc
    }

    /// Writes the header into the first 12 bytes of `buffer`, which must be that long.
    package func write(to buffer: UnsafeMutableRawPointer) {
        let bytes = buffer.assumingMemoryBound(to: UInt8.self)
        bytes[0] = 0x80
        bytes[1] = Self.payloadType
        bytes[2] = UInt8(truncatingIfNeeded: sequence >> 8)
        bytes[3] = UInt8(truncatingIfNeeded: sequence)
        for i in 0..<4 {
            bytes[4 + i] = UInt8(truncatingIfNeeded: timestamp >> (24 - 8 * i))
            bytes[8 + i] = UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * i))
        }
    }

    /// The header after this one: the next packet of the same stream.
    package func advanced() -> RTPHeader {
        RTPHeader(sequence: sequence &+ 1, timestamp: timestamp &+ Self.samplesPerFrame, ssrc: ssrc)
    }
}
