import DiscordVoice
import Foundation

/// Baseline (b): discord.py 2.7.1's AudioPlayer + FFmpegPCMAudio from the repo's .venv
/// (Scripts/discordpy_baseline.py). discord.py cannot build a VoiceClient without Discord's
/// gateway, so its packets come over loopback UDP to a relay here, which sends each one through
/// that stream's own encrypted connection. The relay's CPU counts in the baseline's bill.
struct DiscordPyBaseline {
    var file: String
    var streams: Int
    var seconds: Double
    var python: String

    struct Output: Decodable {
        var deviations: [[Int32]]
        var first_packet_ms: [Double]
        var cpu_seconds: Double
        var peak_rss_bytes: Int
        var sent: Int
    }

    func run() async throws -> ScenarioResult {
        guard FileManager.default.isExecutableFile(atPath: python) else { throw BenchFailure("skipped: no Python at \(python)") }
        let voice = try await LocalVoice.start(streams: streams)
        let relay = try UDPRelay(senders: voice.connections.map(\.sender))
        let before = ProcessStats.now(), serverBefore = ProcessStats.serverCPU()
        let child = Process()
        child.executableURL = URL(fileURLWithPath: python)
        child.arguments = ["Scripts/discordpy_baseline.py", file, "\(streams)", "\(relay.port)"]
        let pipe = Pipe()
        child.standardOutput = pipe
        try child.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        // Foundation's waitUntilExit can miss this child's exit (seen hanging here), so reap
        // it directly and give up after 10 s; the JSON on stdout says whether it worked.
        var status: Int32 = 0
        for _ in 0..<1000 where waitpid(child.processIdentifier, &status, WNOHANG) == 0 { usleep(10_000) }
        let after = ProcessStats.now(), serverAfter = ProcessStats.serverCPU()
        relay.stop()
        for connection in voice.connections { connection.sender.setSpeaking(false) }
        guard !data.isEmpty else { throw BenchFailure("discord.py script printed nothing") }
        let output = try JSONDecoder().decode(Output.self, from: data)

        var result = ScenarioResult(name: "baseline (b) discord.py N=\(streams) (MP3)", streams: streams, seconds: seconds)
        result.addDeviations(output.deviations)
        result.sent = output.sent
        // The Python child and its ffmpeg grandchildren are in RUSAGE_CHILDREN; the relay in self.
        let cpu = (after.totalCPU - before.totalCPU) - (serverAfter - serverBefore)
        result.cpuSecondsPerStreamMinute = cpu / (Double(streams) * seconds / 60)
        result.rssMBPerStream = Double(output.peak_rss_bytes) / Double(streams) / 1_048_576
        result.firstPacketP50Ms = output.first_packet_ms.percentile(0.5)
        result.firstPacketMaxMs = output.first_packet_ms.max() ?? 0
        result.note = "via a loopback relay; RSS is the Python process + its ffmpeg children; 1st pkt from Python start of play"
        LocalVoice.apply(await voice.finish(), to: &result)
        return result
    }
}

/// Receives `[stream index: UInt16 BE][Opus packet]` datagrams and sends each packet through
/// that stream's RTP sender (RTP header, AEAD, UDP to the local server).
final class UDPRelay: @unchecked Sendable {
    let port: Int
    private let descriptor: Int32
    private let running = NSLock()
    private var stopped = false

    init(senders: [RTPSender]) throws {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { throw BenchFailure("relay socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else {
            close(fd)
            throw BenchFailure("relay bind: errno \(errno)")
        }
        var timeout = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var size: Int32 = 1 << 20
        setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        for sender in senders { sender.setSpeaking(true) }
        let thread = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 2048)
            while !isStopped {
                let got = recv(fd, &buffer, buffer.count, 0)
                guard got > 2 else { continue }
                let index = Int(buffer[0]) << 8 | Int(buffer[1])
                guard index < senders.count else { continue }
                buffer.withUnsafeBytes { senders[index].send(opus: UnsafeRawBufferPointer(rebasing: $0[2..<got])) }
            }
            close(fd)
        }
        thread.start()
    }

    private var isStopped: Bool {
        running.lock()
        defer { running.unlock() }
        return stopped
    }
    func stop() {
        running.lock()
        stopped = true
        running.unlock()
    }
}
