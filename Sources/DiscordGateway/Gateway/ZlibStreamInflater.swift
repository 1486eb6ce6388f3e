import CZlib

/// Decompresses a gateway connection's `compress=zlib-stream` transport (doc §1.2).
///
/// One inflate context lives for the whole connection and is shared by every frame, because
/// Discord compresses the connection as one stream. Binary frames are buffered until the data
/// ends with the Z_SYNC_FLUSH marker `00 00 FF FF`; then the buffer inflates to exactly one
/// JSON message. Used by one task only (the connection's reader); a new connection gets a new one.
final class ZlibStreamInflater {
    /// Why a compressed frame could not be read.
    struct InflateError: Error, CustomStringConvertible {
        let code: Int32
        var description: String { "zlib-stream inflate failed with zlib code \(code)" }
    }

    private let stream: UnsafeMutablePointer<z_stream>
    private var pending: [UInt8] = []
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)

    init() throws(InflateError) {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = cadence_inflate_init(stream)
        guard status == Z_OK else {
            stream.deallocate()
            throw InflateError(code: status)
        }
    }

    deinit {
        inflateEnd(stream)
        stream.deallocate()
    }

    /// Adds one binary frame; returns the message when the frame completed one.
    func feed(_ bytes: [UInt8]) throws(InflateError) -> String? {
        pending += bytes
        guard pending.count >= 4, pending.suffix(4).elementsEqual([0x00, 0x00, 0xFF, 0xFF]) else { return nil }
        defer { pending.removeAll(keepingCapacity: true) }
        var output: [UInt8] = []
        let stream = stream
        let status: Int32 = pending.withUnsafeMutableBufferPointer { input in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            while true {
                let (status, produced) = scratch.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    let status = inflate(stream, Z_SYNC_FLUSH)
                    return (status, out.count - Int(stream.pointee.avail_out))
                }
                output += scratch[0..<produced]
                if status != Z_OK && status != Z_BUF_ERROR { return status }
                // Output space left over means zlib consumed everything it could.
                if stream.pointee.avail_out != 0 || produced == 0 { return Z_OK }
            }
        }
        stream.pointee.next_in = nil
        guard status == Z_OK || status == Z_STREAM_END else { throw InflateError(code: status) }
        return String(decoding: output, as: UTF8.self)
    }
}
