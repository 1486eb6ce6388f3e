import Foundation

/// Reads the packets of an Ogg stream, so tests can compare a file's Opus packets with what
/// the engine or a server produced. Checks page framing, not CRCs.
public enum OggReader {
    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Every packet of the first logical stream, header packets included.
    public static func packets(_ data: Data) throws -> [[UInt8]] {
        let bytes = [UInt8](data)
        var packets: [[UInt8]] = []
        var current: [UInt8] = []
        var offset = 0
        while offset < bytes.count {
            guard offset + 27 <= bytes.count, bytes[offset..<offset + 4].elementsEqual("OggS".utf8) else {
                throw FormatError(description: "no Ogg page at byte \(offset)")
            }
            let segmentCount = Int(bytes[offset + 26])
            let tableStart = offset + 27
            guard tableStart + segmentCount <= bytes.count else { throw FormatError(description: "short segment table") }
            var body = tableStart + segmentCount
            for index in 0..<segmentCount {
                let length = Int(bytes[tableStart + index])
                guard body + length <= bytes.count else { throw FormatError(description: "short page body") }
                current += bytes[body..<body + length]
                body += length
                if length < 255 {
                    packets.append(current)
                    current = []
                }
            }
            offset = body
        }
        return packets
    }

    /// The audio packets of an Ogg Opus file: everything after OpusHead and OpusTags.
    public static func opusAudioPackets(_ data: Data) throws -> [[UInt8]] {
        let all = try packets(data)
        guard all.count >= 2, all[0].starts(with: Array("OpusHead".utf8)) else {
            throw FormatError(description: "not an Ogg Opus stream")
        }
        return Array(all.dropFirst(2))
    }
}
