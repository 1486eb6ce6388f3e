import Foundation

/// UDP IP discovery (doc §2.1): a zero-filled 74-byte request carrying our SSRC; the answer
/// carries the address and port the server sees us at, which Select Protocol reports back.
package enum IPDiscovery {
    package static let packetSize = 74

    /// The external address the server saw.
    package struct Result: Sendable, Equatable {
        package var address: String
        package var port: Int
    }

    package static func request(ssrc: UInt32) -> [UInt8] {
        var packet = [UInt8](repeating: 0, count: packetSize)
        packet[1] = 0x01
        packet[3] = 70
        for i in 0..<4 { packet[4 + i] = UInt8(truncatingIfNeeded: ssrc >> (24 - 8 * i)) }
        return packet
    }

    package static func parse(_ packet: [UInt8], ssrc: UInt32) throws(VoiceError) -> Result {
        guard packet.count == packetSize else { throw .ipDiscoveryBadResponse("\(packet.count) bytes, expected 74") }
        let type = UInt16(packet[0]) << 8 | UInt16(packet[1])
        guard type == 2 else { throw .ipDiscoveryBadResponse("type \(type), expected 2") }
        let echoed = packet[4..<8].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard echoed == ssrc else { throw .ipDiscoveryBadResponse("SSRC \(echoed), expected \(ssrc)") }
        let text = packet[8..<72].prefix { $0 != 0 }
        guard !text.isEmpty, let address = String(validating: text, as: UTF8.self) else {
            throw .ipDiscoveryBadResponse("empty or non-UTF-8 address")
        }
        return Result(address: address, port: Int(UInt16(packet[72]) << 8 | UInt16(packet[73])))
    }

    /// Runs discovery on `socket` on a thread of its own (the wait blocks), retrying the
    /// request once a second until `timeout`.
    package static func discover(on socket: UDPSocket, ssrc: UInt32, timeout: Double = 5) async throws -> Result {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Result, any Error>) in
            let thread = Thread {
                continuation.resume(with: Swift.Result { try run(on: socket, ssrc: ssrc, timeout: timeout) })
            }
            thread.name = "cadence.ip-discovery"
            thread.start()
        }
    }

    private static func run(on socket: UDPSocket, ssrc: UInt32, timeout: Double) throws(VoiceError) -> Result {
        let request = request(ssrc: ssrc)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 2048, alignment: 8)
        defer { buffer.deallocate() }
        let deadline = Date().addingTimeInterval(timeout)
        while deadline.timeIntervalSinceNow > 0 {
            request.withUnsafeBytes { _ = socket.send($0.baseAddress!, count: $0.count) }
            let wait = min(1, max(0.01, deadline.timeIntervalSinceNow))
            guard let count = try socket.receive(into: buffer, timeout: wait) else { continue }
            let bytes = [UInt8](buffer.prefix(count))
            // Stray datagrams (anything not 74 bytes of type 2) are not the answer; keep waiting.
            if count == packetSize, bytes[1] == 2 { return try parse(bytes, ssrc: ssrc) }
        }
        throw .ipDiscoveryTimedOut(host: socket.host, port: socket.port, seconds: timeout)
    }
}
