import CBenchOpus
import DiscordVoice
import Foundation

/// Baseline (a), the design Cadence replaces: per stream an
/// `ffmpeg -i X -f s16le -ar 48000 -ac 2 pipe:1` child and a thread that, every 20 ms, reads
/// 3840 bytes from the pipe, encodes them with libopus and sends the packet — the shape of
/// discord.py's AudioPlayer, with an absolute-deadline sleep so the baseline is not handicapped.
/// CPU includes the reaped ffmpeg children (RUSAGE_CHILDREN), RSS includes theirs too.
struct SubprocessBaseline {
    var file: String
    var streams: Int
    var seconds: Double

    /// What one stream's thread measured.
    final class StreamLog: @unchecked Sendable {
        var deviations: [Int32] = []
        var firstSend: UInt64 = 0
        var sent = 0
        var error: String?
    }

    func run() async throws -> ScenarioResult {
        let rssBefore = ProcessStats.residentBytes()
        let voice = try await LocalVoice.start(streams: streams)
        let sampler = RSSSampler()
        let before = ProcessStats.now(), serverBefore = ProcessStats.serverCPU()
        let started = Self.monotonicNanoseconds()
        var children: [Process] = []
        let logs = (0..<streams).map { _ in StreamLog() }
        let group = DispatchGroup()
        for (index, connection) in voice.connections.enumerated() {
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
            child.arguments = ["-loglevel", "quiet", "-i", file, "-f", "s16le", "-ar", "48000", "-ac", "2", "pipe:1"]
            let pipe = Pipe()
            child.standardOutput = pipe
            child.standardError = FileHandle.nullDevice
            try child.run()
            children.append(child)
            let fd = pipe.fileHandleForReading.fileDescriptor
            let sender = connection.sender, log = logs[index]
            group.enter()
            let thread = Thread {
                Self.stream(fd: fd, sender: sender, log: log)
                group.leave()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        sampler.track(children: children.map(\.processIdentifier))
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in group.notify(queue: .global()) { done.resume() } }
        for child in children { child.waitUntilExit() }
        let after = ProcessStats.now(), serverAfter = ProcessStats.serverCPU()
        let peak = sampler.stop()

        var result = ScenarioResult(name: "baseline (a) ffmpeg child N=\(streams) (MP3)", streams: streams, seconds: seconds)
        result.addDeviations(logs.map(\.deviations))
        result.sent = logs.reduce(0) { $0 + $1.sent }
        let cpu = (after.totalCPU - before.totalCPU) - (serverAfter - serverBefore)
        result.cpuSecondsPerStreamMinute = cpu / (Double(streams) * seconds / 60)
        result.rssMBPerStream = Double(max(0, peak - rssBefore)) / Double(streams) / 1_048_576
        let firsts = logs.map { Double($0.firstSend &- started) / 1e6 }
        result.firstPacketP50Ms = firsts.percentile(0.5)
        result.firstPacketMaxMs = firsts.max() ?? 0
        let errors = logs.compactMap(\.error)
        result.note = errors.isEmpty ? "nulled/deficit: not tracked by this design" : "\(errors.count) failed: \(errors[0])"
        LocalVoice.apply(await voice.finish(), to: &result)
        return result
    }

    /// One stream's 20 ms loop: sleep to the deadline, read a frame, encode, send.
    static func stream(fd: Int32, sender: RTPSender, log: StreamLog) {
        var status: Int32 = 0
        guard let encoder = opus_encoder_create(48_000, 2, OPUS_APPLICATION_AUDIO, &status), status == OPUS_OK else {
            log.error = "opus_encoder_create: \(status)"
            return
        }
        defer {
            opus_encoder_destroy(encoder)
            close(fd)
        }
        _ = bench_opus_configure(encoder, 128_000, 10)
        var pcm = [Int16](repeating: 0, count: 1920)
        var packet = [UInt8](repeating: 0, count: 1500)
        log.deviations.reserveCapacity(1000)
        sender.setSpeaking(true)
        // The schedule starts when the first frame is in hand, so ffmpeg's start-up is not
        // paid back with a catch-up burst (kinder to the baseline than discord.py's anchoring).
        var deadline: UInt64 = 0
        while readFrame(fd, into: &pcm) {
            if deadline == 0 { deadline = monotonicNanoseconds() }
            sleep(until: deadline)
            let length = opus_encode(encoder, pcm, 960, &packet, 1500)
            guard length > 0 else {
                log.error = "opus_encode: \(length)"
                return
            }
            packet.withUnsafeBytes { sender.send(opus: UnsafeRawBufferPointer(rebasing: $0[0..<Int(length)])) }
            let now = monotonicNanoseconds()
            if log.firstSend == 0 { log.firstSend = now }
            log.deviations.append(Int32(clamping: (Int64(bitPattern: now) - Int64(bitPattern: deadline)) / 1000))
            log.sent += 1
            deadline += 20_000_000
        }
        for _ in 0..<5 {
            sleep(until: deadline)
            [UInt8](arrayLiteral: 0xF8, 0xFF, 0xFE).withUnsafeBytes { sender.send(opus: $0) }
            deadline += 20_000_000
        }
        sender.setSpeaking(false)
    }

    /// Blocks until 3840 bytes arrived or the pipe ended (a short last frame is dropped).
    static func readFrame(_ fd: Int32, into pcm: inout [Int16]) -> Bool {
        pcm.withUnsafeMutableBytes { buffer in
            var filled = 0
            while filled < buffer.count {
                let got = read(fd, buffer.baseAddress! + filled, buffer.count - filled)
                if got <= 0 { return false }
                filled += got
            }
            return true
        }
    }

    static func monotonicNanoseconds() -> UInt64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    }

    static func sleep(until deadline: UInt64) {
        var target = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        while clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &target, nil) == EINTR {}
    }
}
