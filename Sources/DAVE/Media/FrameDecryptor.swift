import Crypto
import Foundation

/// Decrypts one sender's DAVE media frames, as a listener (or the local test server) does.
///
/// It keeps the ratchets of recent epochs, newest first, because senders switch keys a little
/// before or after receivers learn the new epoch; an old ratchet is tried until it expires
/// (10 s after a newer one arrived, as libdave does). Silence passes through.
package struct FrameDecryptor: Sendable {
    private struct Entry: Sendable {
        var ratchet: KeyRatchet
        var expiresAt: ContinuousClock.Instant?
    }

    private var entries: [Entry] = []
    private let retention: Duration

    package init(retention: Duration = .seconds(10)) {
        self.retention = retention
    }

    /// Installs the ratchet of a new epoch; older ones stay usable for `retention`.
    package mutating func install(_ ratchet: KeyRatchet, now: ContinuousClock.Instant = .now) {
        for index in entries.indices where entries[index].expiresAt == nil {
            entries[index].expiresAt = now + retention
        }
        entries.insert(Entry(ratchet: ratchet, expiresAt: nil), at: 0)
    }

    package var hasRatchet: Bool { !entries.isEmpty }

    /// Returns the Opus frame inside `frame`, or throws why it could not.
    package mutating func decrypt(_ frame: [UInt8], now: ContinuousClock.Instant = .now) throws(DAVEError) -> [UInt8] {
        if frame == [0xF8, 0xFF, 0xFE] { return frame }
        let parsed = try Self.parse(frame)
        entries.removeAll { $0.expiresAt.map { $0 < now } ?? false }
        guard !entries.isEmpty else { throw .noKey }
        for index in entries.indices {
            let key = entries[index].ratchet.key(for: parsed.nonce >> 24)
            if let plain = Self.open(parsed, key: key) { return plain }
        }
        throw .authenticationFailed(nonce: parsed.nonce)
    }

    struct Parsed {
        var ciphertext: ArraySlice<UInt8>
        var tag: ArraySlice<UInt8>
        var nonce: UInt32
    }

    static func parse(_ frame: [UInt8]) throws(DAVEError) -> Parsed {
        let count = frame.count
        guard count >= 3, frame[count - 1] == 0xFA, frame[count - 2] == 0xFA else {
            throw .notAProtectedFrame("missing FA FA marker")
        }
        let size = Int(frame[count - 3])
        guard size >= MediaFrame.tagLength + 1 + 3, size <= count else {
            throw .notAProtectedFrame("supplemental size \(size) out of range")
        }
        let start = count - size
        let nonceField = frame.withUnsafeBytes { ULEB128.read($0, at: start + MediaFrame.tagLength) }
        guard let nonceField, nonceField.value <= UInt64(UInt32.max),
            start + MediaFrame.tagLength + nonceField.length <= count - 3
        else { throw .notAProtectedFrame("bad nonce") }
        return Parsed(
            ciphertext: frame[0..<start],
            tag: frame[start..<(start + MediaFrame.tagLength)],
            nonce: UInt32(nonceField.value))
    }

    /// GCM with a truncated tag can't be verified by swift-crypto directly. GCM is
    /// deterministic, so: recover the plaintext with the keystream (the sealing of zeros),
    /// seal it again and compare the first 8 tag bytes.
    static func open(_ parsed: Parsed, key: SymmetricKey) -> [UInt8]? {
        guard let nonce = try? AES.GCM.Nonce(data: MediaFrame.iv(nonce: parsed.nonce)),
            let stream = try? AES.GCM.seal(
                [UInt8](repeating: 0, count: parsed.ciphertext.count),
                using: key, nonce: nonce)
        else { return nil }
        let plain = zip(parsed.ciphertext, stream.ciphertext).map { $0 ^ $1 }
        guard let check = try? AES.GCM.seal(plain, using: key, nonce: nonce),
            check.tag.prefix(MediaFrame.tagLength).elementsEqual(parsed.tag)
        else { return nil }
        return plain
    }
}
