import AudioDSP
import CadenceTestSupport
import Foundation

/// Programme-like test tracks: pink noise plus a 440 Hz tone, brought to a loudness.
enum LoudnessFixtures {
    /// `seconds` of stereo pink noise + tone scaled (by this module's meter) to `lufs`.
    static func track(lufs: Double, seconds: Double = 10) throws -> [Float] {
        let left = Signals.pinkNoise(seconds: seconds, seed: 11), right = Signals.pinkNoise(seconds: seconds, seed: 23)
        let tone = Signals.sine(440, amplitude: 0.1, seconds: seconds)
        var signal = Signals.stereo(zip(left, tone).map { $0 + $1 }, zip(right, tone).map { $0 + $1 })
        let measured = try measure(signal).integrated!
        let gain = LoudnessNormalization.linear(lufs - measured)
        for i in signal.indices { signal[i] *= gain }
        return signal
    }

    static func measure(_ signal: [Float]) throws -> (integrated: Double?, truePeak: Double) {
        let meter = try LoudnessMeter()
        signal.withUnsafeBufferPointer { meter.add($0.baseAddress!, frames: signal.count / 2) }
        return (meter.integratedLUFS, meter.truePeakDBTP)
    }

    /// ffmpeg's ebur128 reading of `signal`, through a float WAV in a temporary folder.
    static func ffmpeg(_ signal: [Float]) async throws -> LoudnessReference.Measurement {
        let folder = try Tools.temporaryDirectory("dsp-loudness")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("track.wav")
        try Signals.writeWAV(signal, to: url)
        return try await LoudnessReference.measure(url)
    }

    /// Limits `signal` in place and drops the limiter's latency, so the result lines up with the input.
    static func limited(_ signal: [Float], ceiling: Double = -1) -> [Float] {
        let limiter = TruePeakLimiter(ceilingDBTP: ceiling)
        var padded = signal + [Float](repeating: 0, count: 2 * limiter.latencyFrames)
        padded.withUnsafeMutableBufferPointer { limiter.process($0.baseAddress!, frames: $0.count / 2) }
        return Array(padded[(2 * limiter.latencyFrames)...])
    }
}
