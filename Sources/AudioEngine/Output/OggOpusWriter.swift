import Foundation

/// Writes 20 ms stereo Opus packets into an Ogg Opus file (RFC 7845), so what the pacer
/// emitted can be played back with any player or checked with ffprobe.
///
/// Packets are grouped into pages of about one second; the file is complete once `close()`
/// has written the last page with the end-of-stream flag. `preSkip` and `endTrim` make a
/// decoder drop the encoder's look-ahead at the start and the padding of the last frame, so
/// the decoded length is exactly the audio's.
public final class OggOpusWriter {
    private let handle: FileHandle
    private let serial: UInt32
    private var pageSequence: UInt32 = 0
    private var granule: Int64 = 0
    private var pending: [[UInt8]] = []
    private var closed = false
    private let preSkip: Int64
    /// Samples at the end of the last packet that are not audio, beyond the pre-skip's worth
    /// the encoder's look-ahead leaves there (RFC 7845 §4.4: a smaller final granule position).
    public var endTrim = 0
    static let packetsPerPage = 50

    /// Creates (or truncates) `url` and writes the Opus header pages.
    public init(url: URL, preSkip: UInt16 = 312) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: url.path])
        }
        handle = try FileHandle(forWritingTo: url)
        self.preSkip = Int64(preSkip)
        serial = UInt32.random(in: 1...UInt32.max)
        var head = Array("OpusHead".utf8) + [1, 2]
        head += withUnsafeBytes(of: preSkip.littleEndian, Array.init)
        head += withUnsafeBytes(of: UInt32(48_000).littleEndian, Array.init)
        head += [0, 0, 0]
        try writePage([head], granule: 0, flags: 0x02)
        let vendor = Array("cadence".utf8)
        let tags =
            Array("OpusTags".utf8) + withUnsafeBytes(of: UInt32(vendor.count).littleEndian, Array.init)
            + vendor + [0, 0, 0, 0]
        try writePage([tags], granule: 0, flags: 0)
    }

    /// Appends one 20 ms packet.
    public func append(_ packet: UnsafeRawBufferPointer) throws {
        pending.append(Array(packet))
        // The last page keeps at least two packets, so an end trim of up to 1919 samples
        // stays within it.
        if pending.count >= Self.packetsPerPage + 2 {
            let rest = Array(pending[Self.packetsPerPage...])
            pending.removeLast(pending.count - Self.packetsPerPage)
            try flush(last: false)
            pending = rest
        }
    }

    /// Writes what is pending with the end-of-stream flag and closes the file.
    public func close() throws {
        guard !closed else { return }
        closed = true
        try flush(last: true)
        try handle.close()
    }

    private func flush(last: Bool) throws {
        granule += Int64(pending.count) * 960
        let trim = last ? min(Int64(max(0, endTrim)), Int64(pending.count) * 960) : 0
        try writePage(pending, granule: max(preSkip, granule - trim), flags: last ? 0x04 : 0)
        pending.removeAll(keepingCapacity: true)
    }

    private func writePage(_ packets: [[UInt8]], granule: Int64, flags: UInt8) throws {
        var segments: [UInt8] = []
        for packet in packets {
            segments += [UInt8](repeating: 255, count: packet.count / 255)
            segments.append(UInt8(packet.count % 255))
        }
        var page = Array("OggS".utf8) + [0, flags]
        page += withUnsafeBytes(of: granule.littleEndian, Array.init)
        page += withUnsafeBytes(of: serial.littleEndian, Array.init)
        page += withUnsafeBytes(of: pageSequence.littleEndian, Array.init)
        page += [0, 0, 0, 0, UInt8(segments.count)] + segments
        for packet in packets { page += packet }
        let crc = OggCRC.checksum(page)
        page.replaceSubrange(22..<26, with: withUnsafeBytes(of: crc.littleEndian, Array.init))
        pageSequence += 1
        try handle.write(contentsOf: page)
    }
}

/// The Ogg page checksum: CRC-32 with polynomial 0x04C11DB7, unreflected, zero initial value.
enum OggCRC {
    static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index) << 24
        for _ in 0..<8 { value = value & 0x8000_0000 != 0 ? (value << 1) ^ 0x04C1_1DB7 : value << 1 }
        return value
    }

    static func checksum(_ bytes: [UInt8]) -> UInt32 {
        bytes.reduce(UInt32(0)) { crc, byte in (crc << 8) ^ table[Int((crc >> 24) ^ UInt32(byte))] }
    }
}
