/// Recognises, after a live stream was rejoined, the packets the listener already heard.
///
/// A radio server answers a reconnect with a burst from its buffer and a live HLS playlist
/// starts a few segments back, so the first packets after a rejoin repeat audio from before
/// the drop. Both send those packets byte for byte as before, so the decoder remembers a
/// fingerprint of the recent packets and, after a rejoin, drops packets it has seen until the
/// first new one.
struct LiveOverlap {
    /// About 30 s of MP3 or AAC packets.
    static let capacity = 1_500

    private var recent: [UInt64] = []
    private var next = 0
    private var counts: [UInt64: Int] = [:]
    /// True from a rejoin until the first packet not heard before.
    private(set) var skipping = false
    private(set) var skipped = 0

    /// Call when the stream was reopened at its live edge.
    mutating func rejoined() { skipping = !recent.isEmpty }

    /// Whether the packet with these bytes repeats audio already played; otherwise remembers it.
    mutating func isRepeat(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let print = Self.fingerprint(bytes)
        if skipping {
            if counts[print, default: 0] > 0 {
                skipped += 1
                return true
            }
            skipping = false
        }
        remember(print)
        return false
    }

    private mutating func remember(_ print: UInt64) {
        if recent.count < Self.capacity {
            recent.append(print)
        } else {
            let old = recent[next]
            if let count = counts[old] { counts[old] = count > 1 ? count - 1 : nil }
            recent[next] = print
            next = (next + 1) % Self.capacity
        }
        counts[print, default: 0] += 1
    }

    /// FNV-1a over the packet, with its length mixed in.
    static func fingerprint(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325 ^ UInt64(bytes.count)
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
