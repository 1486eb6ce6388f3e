import CZlib

/// Compresses one simulated gateway connection as Discord's `zlib-stream` does: one deflate
/// context per connection, each message flushed with Z_SYNC_FLUSH so it ends in `00 00 FF FF`.
/// Callers serialize use (the simulator holds its state lock while compressing and writing).
final class ZlibStreamDeflater {
    private let stream: UnsafeMutablePointer<z_stream>
    private var scratch = [UInt8](repeating: 0, count: 1 << 16)
    private let ready: Bool

    init() {
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        ready = cadence_deflate_init(stream, Z_DEFAULT_COMPRESSION) == Z_OK
    }

    deinit {
        if ready { deflateEnd(stream) }
        stream.deallocate()
    }

    /// The compressed bytes of `text`, or nil when zlib failed.
    func compress(_ text: String) -> [UInt8]? {
        guard ready else { return nil }
        var input = Array(text.utf8)
        var output: [UInt8] = []
        let stream = stream
        let ok = input.withUnsafeMutableBufferPointer { input -> Bool in
            stream.pointee.next_in = input.baseAddress
            stream.pointee.avail_in = UInt32(input.count)
            while true {
                let (status, produced) = scratch.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                    stream.pointee.next_out = out.baseAddress
                    stream.pointee.avail_out = UInt32(out.count)
                    let status = deflate(stream, Z_SYNC_FLUSH)
                    return (status, out.count - Int(stream.pointee.avail_out))
                }
                output += scratch[0..<produced]
                if status != Z_OK && status != Z_BUF_ERROR { return false }
                if stream.pointee.avail_out != 0 { return true }
            }
        }
        stream.pointee.next_in = nil
        return ok ? output : nil
    }
}
