import CBenchOpus
import Foundation

/// The pure libopus floor: 48 kHz stereo float PCM already in memory, encoded frame by frame
/// with Cadence's settings (complexity 10, 128 kb/s VBR, music), on one thread, unpaced.
/// CPU is that thread's own clock, so nothing else running counts.
enum EncodingFloor {
    static func run(pcmFile: String) throws -> ScenarioResult {
        let data = try Data(contentsOf: URL(fileURLWithPath: pcmFile))
        let samples = data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        let frames = samples.count / 1920
        var status: Int32 = 0
        guard let encoder = opus_encoder_create(48_000, 2, OPUS_APPLICATION_AUDIO, &status), status == OPUS_OK else {
            throw BenchFailure("opus_encoder_create failed: \(status)")
        }
        defer { opus_encoder_destroy(encoder) }
        _ = bench_opus_configure(encoder, 128_000, 10)
        var packet = [UInt8](repeating: 0, count: 1500)
        var bytes = 0
        let start = threadCPU()
        samples.withUnsafeBufferPointer { pcm in
            for frame in 0..<frames {
                bytes += Int(opus_encode_float(encoder, pcm.baseAddress! + frame * 1920, 960, &packet, 1500))
            }
        }
        let cpu = threadCPU() - start
        var result = ScenarioResult(name: "libopus floor (PCM in memory)", streams: 1, seconds: Double(frames) / 50)
        result.sent = frames
        result.cpuSecondsPerStreamMinute = cpu / (Double(frames) / 50 / 60)
        result.note = String(
            format: "%.0f µs/frame, %.2f %% of a core, %d kb/s", cpu / Double(frames) * 1e6,
            cpu / (Double(frames) * 0.02) * 100, bytes * 8 / max(1, frames / 50) / 1000)
        return result
    }

    static func threadCPU() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
