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

    /// The header after this one: the next packet of the same stream.
    package func advanced() -> RTPHeader {
        RTPHeader(sequence: sequence &+ 1, timestamp: timestamp &+ Self.samplesPerFrame, ssrc: ssrc)
    }
}
