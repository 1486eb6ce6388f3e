import AudioDSP

/// Drives a chain the way the engine's decoder thread will: pushes in packet-sized blocks,
/// reads everything ready after each push, flushes at the end.
enum ChainHarness {
    static func run(
        _ chain: FilterChain, _ input: [Float], block: Int = 960, flush: Bool = true,
        between: ((Int) -> Void)? = nil
    ) -> [Float] {
        var output: [Float] = []
        output.reserveCapacity(input.count * 2)
        var scratch = [Float](repeating: 0, count: 8192 * 2)
        let frames = input.count / 2
        var done = 0
        func drain() {
            while true {
                let got = scratch.withUnsafeMutableBufferPointer { chain.read(into: $0.baseAddress!, maxFrames: 8192) }
                if got == 0 { break }
                output.append(contentsOf: scratch[0..<(got * 2)])
            }
        }
        while done < frames {
            between?(done)
            let n = min(block, frames - done)
            input.withUnsafeBufferPointer { chain.process($0.baseAddress! + done * 2, frameCount: n) }
            drain()
            done += n
        }
        if flush {
            chain.flush()
            drain()
        }
        return output
    }

    static func chain(_ settings: FilterSettings) -> FilterChain {
        let chain = FilterChain()
        chain.update(settings)
        return chain
    }
}
