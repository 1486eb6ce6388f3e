import CadenceTestSupport
import Foundation

/// Known-answer vectors published in ../shared/docs/discord-voice.md §5.8, read at test time.
struct VoiceDocVectors {
    struct FrameCase {
        var nonce: UInt32
        var frame: [UInt8]
    }

    var frameKey: [UInt8]
    var opus: [UInt8]
    var frames: [FrameCase]
    var ratchetBase: [UInt8]
    var ratchetKeys: [UInt32: [UInt8]]

    static func load() throws -> VoiceDocVectors {
        let doc = String(decoding: try SharedData.file("docs/discord-voice.md"), as: UTF8.self)
        guard let section = doc.range(of: "Frame KAT") else { throw VectorError.missing("Frame KAT") }
        let text = String(doc[section.lowerBound...].prefix(1500))
        let keyLine = try line(in: text, containing: "opus =")
        let frameKey = try hex(after: "key =", in: keyLine)
        let opus = try hex(after: "opus =", in: keyLine)
        var frames: [FrameCase] = []
        for raw in text.split(separator: "\n") where raw.hasPrefix("tn=") {
            let parts = raw.split(separator: " ", omittingEmptySubsequences: true)
            guard let nonce = UInt32(parts[0].dropFirst(3)), let arrow = parts.firstIndex(of: "→") else { continue }
            // Fields after the arrow up to the "(NN B)" note, joined: ciphertext, tag, nonce, size, marker.
            let fields = parts[(arrow + 1)...].prefix { !$0.hasPrefix("(") }
            frames.append(FrameCase(nonce: nonce, frame: try bytes(fields.joined())))
        }
        let base = try hex(after: "base =", in: try line(in: text, containing: "base ="))
        var keys: [UInt32: [UInt8]] = [:]
        for g in 0..<3 {
            keys[UInt32(g)] = try hex(after: "key_\(g) =", in: try line(in: text, containing: "key_\(g) ="))
        }
        return VoiceDocVectors(frameKey: frameKey, opus: opus, frames: frames, ratchetBase: base, ratchetKeys: keys)
    }

    private static func line(in text: String, containing marker: String) throws -> String {
        guard let found = text.split(separator: "\n").first(where: { $0.contains(marker) }) else {
            throw VectorError.missing(marker)
        }
        return String(found)
    }

    private static func hex(after marker: String, in line: String) throws -> [UInt8] {
        guard let range = line.range(of: marker) else { throw VectorError.missing(marker) }
        let word = line[range.upperBound...].split(separator: " ").first ?? ""
        return try bytes(String(word))
    }

    static func bytes(_ hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count % 2 == 0 else { throw VectorError.badHex(hex) }
        return try stride(from: 0, to: digits.count, by: 2).map { i in
            guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else {
                throw VectorError.badHex(hex)
            }
            return byte
        }
    }

    enum VectorError: Error { case missing(String), badHex(String) }
}
