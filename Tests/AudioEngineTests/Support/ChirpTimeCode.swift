import CadenceTestSupport

/// Reads a time-coded chirp back from decoded output: every 50 ms window should sit at the same
/// offset in the reference as the first, and still match it there (a repeated or lost frame
/// would move what follows by 960 samples).
enum ChirpTimeCode {
    /// Windows of 50 ms whose best match in the chirp moved from the first one's offset, the
    /// weakest correlation at the expected offset, and that first offset.
    static func check(_ pcm: [Float], chirpStart: Double) -> (moved: [Int], weakest: Double, first: Int) {
        let reference = Fixtures.chirpSamples(from: chirpStart, count: pcm.count + 4_800)
        let first = ToneAnalysis.bestOffset(of: pcm[4_800..<7_200], in: reference, range: 4_000..<6_000) - 4_800
        var moved: [Int] = []
        var weakest = 1.0
        for start in stride(from: 7_200, to: pcm.count - 4_800, by: 2_400) {
            let expected = start + first
            let offset =
                ToneAnalysis.bestOffset(
                    of: pcm[start..<start + 2_400], in: reference,
                    range: (expected - 24)..<(expected + 25)) - start
            if abs(offset - first) > 1 { moved.append(offset - first) }
            var dot = 0.0, a = 0.0, b = 0.0
            for i in 0..<2_400 {
                let x = Double(pcm[start + i]), y = Double(reference[expected + i])
                dot += x * y
                a += x * x
                b += y * y
            }
            weakest = min(weakest, dot / max(1e-12, (a * b).squareRoot()))
        }
        return (moved, weakest, first)
    }
}
