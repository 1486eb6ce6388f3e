import AudioEngine
import DiscordVoice
import Foundation
import Synchronization

/// A sink in front of the RTP sender that notes when the first packet of the track left, for
/// time to first packet. One atomic load per frame after that.
final class FirstPacketSink: FrameSink {
    let inner: RTPSender
    let firstSend = Atomic<UInt64>(0)
    init(_ inner: RTPSender) { self.inner = inner }
    var isReady: Bool { inner.isReady }
    func send(opus: UnsafeRawBufferPointer) {
        if firstSend.load(ordering: .relaxed) == 0 { firstSend.store(DispatchTime.now().uptimeNanoseconds, ordering: .relaxed) }
        inner.send(opus: opus)
    }
    func setSpeaking(_ speaking: Bool) { inner.setSpeaking(speaking) }
}

/// Cadence itself: N players on one shared pacer, each with its own voice connection to the
/// local server, all playing `file` (transcoded, or passed through when it is Opus).
struct CadenceStreams {
    var name: String
    var file: String
    var streams: Int
    var seconds: Double
    var withCPUHog = false

    /// The hog's CPU is not Cadence's: it is taken out with the server's.
    private func hogCPU() -> Double { withCPUHog ? ProcessStats.threadCPU(named: CPUHog.threadName) : 0 }

    func run() async throws -> ScenarioResult {
        let rssBefore = ProcessStats.residentBytes()
        let voice = try await LocalVoice.start(streams: streams)
        let hog = withCPUHog ? CPUHog() : nil
        let pacer = Pacer()
        let logCapacity = Int(seconds * 50) + 200
        let sinks = voice.connections.map { FirstPacketSink($0.sender) }
        let players = sinks.map { Player(sink: $0, pacer: pacer, deviationLogCapacity: logCapacity) }
        let sampler = RSSSampler()
        let before = ProcessStats.now(), serverBefore = ProcessStats.serverCPU() + hogCPU()
        let started = DispatchTime.now().uptimeNanoseconds

        var failures: [String] = []
        await withTaskGroup(of: String?.self) { group in
            for player in players {
                group.addTask {
                    var events = player.events.makeAsyncIterator()
                    player.play(file)
                    while let event = await events.next() {
                        switch event {
                        case .finished: return nil
                        case let .failed(_, error): return "\(error)"
                        case .stuck: return "stuck"
                        case .started: continue
                        }
                    }
                    return "no events"
                }
            }
            for await failure in group { if let failure { failures.append(failure) } }
        }
        let after = ProcessStats.now(), serverAfter = ProcessStats.serverCPU() + hogCPU()
        let peak = sampler.stop()
        hog?.stop()

        var result = ScenarioResult(name: name, streams: streams, seconds: seconds)
        result.addDeviations(players.map(\.deviationsMicroseconds))
        var stats = PacingStats()
        for player in players { if let one = player.stats { stats.merge(one) } }
        result.sent = stats.sent
        result.nulled = stats.nulled
        result.deficit = stats.deficit
        let cpu = (after.totalCPU - before.totalCPU) - (serverAfter - serverBefore)
        result.cpuSecondsPerStreamMinute = cpu / (Double(streams) * seconds / 60)
        result.rssMBPerStream = Double(max(0, peak - rssBefore)) / Double(streams) / 1_048_576
        let firsts = sinks.map { Double($0.firstSend.load(ordering: .relaxed) &- started) / 1e6 }
        result.firstPacketP50Ms = firsts.percentile(0.5)
        result.firstPacketMaxMs = firsts.max() ?? 0
        if !failures.isEmpty { result.note = "\(failures.count) failed: \(failures[0])" }
        pacer.shutdown()
        LocalVoice.apply(await voice.finish(), to: &result)
        return result
    }
}
