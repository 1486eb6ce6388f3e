import CBenchOpus
import DAVE
import Foundation

/// What DAVE's media encryption costs per frame, against what encoding that frame costs.
///
/// Both figures come from the same 3000 real Opus frames (a 440 Hz stereo tone encoded with
/// Cadence's settings), so the ratio compares like with like: "DAVE adds X % of the encode floor".
/// CPU is getrusage (ProcessStats) around single-threaded loops with nothing else running; the
/// encryption loop repeats the frames so the reading is well above getrusage's granularity.
enum DAVECost {
    static let frameCount = 3000
    static let encryptionPasses = 20

    /// The frames, the floor and the DAVE figures; `result.note` carries the printed line.
    static func run() throws -> ScenarioResult {
        let (frames, encodeCPU) = try encodeTone()
        let encryptCPU = try encrypt(frames)
        let encryptedFrames = Double(frameCount * encryptionPasses)
        let floorPerFrame = encodeCPU / Double(frameCount)
        let davePerFrame = encryptCPU / encryptedFrames
        // 50 frames a second, 3000 frames a stream-minute.
        let daveCPUPerStreamMinute = davePerFrame * 3000
        let floorCPUPerStreamMinute = floorPerFrame * 3000
        let meanBytes = Double(frames.reduce(0) { $0 + $1.count }) / Double(frames.count)

        var result = ScenarioResult(name: "dave frame encryption (FrameEncryptor)", streams: 1, seconds: Double(frameCount) / 50)
        result.sent = frameCount * encryptionPasses
        result.cpuSecondsPerStreamMinute = daveCPUPerStreamMinute
        result.note = String(
            format:
                "%.2f µs/frame (%.0f-byte Opus frames), %.5f CPU s/stream-min; libopus floor on the same frames %.1f µs/frame, %.3f CPU s/stream-min; DAVE adds %.2f %% of the encode floor",
            davePerFrame * 1e6, meanBytes, daveCPUPerStreamMinute, floorPerFrame * 1e6, floorCPUPerStreamMinute,
            davePerFrame / floorPerFrame * 100)
        return result
    }

    /// 3000 frames of a 440 Hz tone through libopus, and the CPU that took.
    static func encodeTone() throws -> (frames: [[UInt8]], cpu: Double) {
        var status: Int32 = 0
        guard let encoder = opus_encoder_create(48_000, 2, OPUS_APPLICATION_AUDIO, &status), status == OPUS_OK else {
            throw BenchFailure("opus_encoder_create failed: \(status)")
        }
        defer { opus_encoder_destroy(encoder) }
        _ = bench_opus_configure(encoder, 128_000, 10)
        // The whole tone is rendered first so the timed loop is the encoder alone.
        var pcm = [Float](repeating: 0, count: 1920 * frameCount)
        for i in 0..<(960 * frameCount) {
            let sample = Float(0.5 * sin(2 * Double.pi * 440 * Double(i) / 48_000))
            pcm[2 * i] = sample
            pcm[2 * i + 1] = sample
        }
        var packet = [UInt8](repeating: 0, count: 1500)
        var lengths = [Int32](repeating: 0, count: frameCount)
        var packets = [UInt8](repeating: 0, count: 1500 * frameCount)
        let before = ProcessStats.now().selfCPU
        pcm.withUnsafeBufferPointer { samples in
            for frame in 0..<frameCount {
                let bytes = opus_encode_float(encoder, samples.baseAddress! + frame * 1920, 960, &packet, 1500)
                lengths[frame] = bytes
                if bytes > 0 { packets.replaceSubrange(frame * 1500..<(frame * 1500 + Int(bytes)), with: packet[0..<Int(bytes)]) }
            }
        }
        let cpu = ProcessStats.now().selfCPU - before
        var frames: [[UInt8]] = []
        frames.reserveCapacity(frameCount)
        for frame in 0..<frameCount {
            guard lengths[frame] > 0 else { throw BenchFailure("opus_encode_float failed at frame \(frame): \(lengths[frame])") }
            frames.append(Array(packets[frame * 1500..<(frame * 1500 + Int(lengths[frame]))]))
        }
        return (frames, cpu)
    }

    /// Encrypts every frame `encryptionPasses` times on the real-time (buffer) path, as RTPSender does.
    static func encrypt(_ frames: [[UInt8]]) throws -> Double {
        let secret: [UInt8] = Array(0..<16)
        var encryptor = FrameEncryptor(ratchet: KeyRatchet(baseSecret: secret))
        var out = [UInt8](repeating: 0, count: 1500 + 64)
        var total = 0
        let before = ProcessStats.now().selfCPU
        for _ in 0..<encryptionPasses {
            for frame in frames {
                total &+= try frame.withUnsafeBytes { opus in
                    try out.withUnsafeMutableBytes { try encryptor.encrypt(opus, into: $0) }
                }
            }
        }
        let cpu = ProcessStats.now().selfCPU - before
        guard total > frames.count else { throw BenchFailure("encryption produced nothing") }
        return cpu
    }
}
