import AudioEngine
import DiscordVoice
import Foundation
import VoiceServerSim

/// DAVE's cost per stream in the whole pipeline: N Cadence streams transcoding with DAVE on
/// (each guild's call has the server's in-process DAVE listener, so a group forms and every
/// frame after the transition is E2EE), against the same N with DAVE off.
///
/// Guarantees: the DAVE-on figures are only reported as such when the server counted E2EE
/// frames and no plain frame after the first E2EE one; otherwise the note says what it saw.
struct DAVEStreams {
    var file: String
    var streams: Int
    var seconds: Double

    func run() async throws -> ScenarioResult {
        let offName = "cadence transcode N=\(streams) DAVE off"
        // Alternating pairs, least CPU of each kept: one run each on a shared 2-core machine
        // varies by more than DAVE costs, and the first run pays warm-up.
        var offs: [ScenarioResult] = [], ons: [ScenarioResult] = []
        for _ in 0..<2 {
            offs.append(try await CadenceStreams(name: offName, file: file, streams: streams, seconds: seconds).run())
            ons.append(try await runWithDAVE())
        }
        guard let off = offs.min(by: { $0.cpuSecondsPerStreamMinute < $1.cpuSecondsPerStreamMinute }),
            var on = ons.min(by: { $0.cpuSecondsPerStreamMinute < $1.cpuSecondsPerStreamMinute })
        else { throw BenchFailure("no DAVE on/off runs") }
        let extra = on.cpuSecondsPerStreamMinute - off.cpuSecondsPerStreamMinute
        let all = { (runs: [ScenarioResult]) in runs.map { String(format: "%.3f", $0.cpuSecondsPerStreamMinute) }.joined(separator: "/") }
        on.note =
            String(format: "DAVE off %.3f CPU s/stream-min (runs ", off.cpuSecondsPerStreamMinute) + all(offs)
            + String(format: "), on %.3f (runs ", on.cpuSecondsPerStreamMinute) + all(ons)
            + String(
                format: "): DAVE costs %+.4f CPU s/stream-min per stream (%+.1f %%), best of 2 each; ",
                extra, extra / max(1e-9, off.cpuSecondsPerStreamMinute) * 100) + on.note
        return on
    }

    /// The DAVE-on run: connections with a channel id (so DAVE is offered), one listener per guild.
    /// With `countingVoice` the RSS per stream is the peak from before the connections (voice,
    /// DAVE groups and players), as the node's scenario measures it; else from after them.
    func runWithDAVE(name: String? = nil, countingVoice: Bool = false) async throws -> ScenarioResult {
        var configuration = VoiceServerSim.Configuration()
        configuration.decodesAudio = false
        configuration.sendIgnorableOps = false
        let server = VoiceServerSim(configuration: configuration)
        try await server.start()
        let rssBeforeVoice = ProcessStats.residentBytes()
        let voiceSampler = countingVoice ? RSSSampler() : nil
        var connections: [VoiceConnection] = []
        for index in 0..<streams {
            // Each bot in its own guild's channel: N separate calls, each its own MLS group.
            let guild = "\(index + 1)", channel = 500_000_000_000_000_000 + UInt64(index)
            let user = "\(200_000_000_000_000_000 + index)"
            server.setVoiceChannel(channel, forUser: user, inGuild: guild)
            server.addDAVEListener(channelID: channel)
            var options = VoiceConnection.Options()
            options.handshakeTimeout = 30
            let connection = VoiceConnection(
                identity: VoiceIdentity(
                    guildID: guild, userID: user, sessionID: "bench-dave-\(index)",
                    channelID: "\(channel)"),
                server: VoiceServer(endpoint: server.endpoint, token: "bench"), options: options)
            try await connection.connect()
            connections.append(connection)
        }
        let voice = LocalVoice(server: server, connections: connections)
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline, !connections.allSatisfy({ $0.e2eeStatus.isActive }) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let active = connections.filter { $0.e2eeStatus.isActive }.count

        let name = name ?? "cadence transcode N=\(streams) DAVE on (E2EE)"
        let rssBefore = ProcessStats.residentBytes()
        let pacer = Pacer()
        let logCapacity = Int(seconds * 50) + 200
        let players = connections.map { Player(sink: $0.sender, pacer: pacer, deviationLogCapacity: logCapacity) }
        let threadsBefore = countingVoice ? ProcessStats.threadCPUByName() : [:]
        let dropsBefore = ProcessStats.udpReceiveBufferErrors()
        let before = ProcessStats.now(), serverBefore = ProcessStats.serverCPU()
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
        let after = ProcessStats.now(), serverAfter = ProcessStats.serverCPU()
        let threadsAfter = countingVoice ? ProcessStats.threadCPUByName() : [:]
        let drops = ProcessStats.udpReceiveBufferErrors() - dropsBefore

        var result = ScenarioResult(name: name, streams: streams, seconds: seconds)
        result.addDeviations(players.map(\.deviationsMicroseconds))
        var stats = PacingStats()
        for player in players { if let one = player.stats { stats.merge(one) } }
        result.sent = stats.sent
        result.nulled = stats.nulled
        result.deficit = stats.deficit
        // The server's receive thread (transport decryption, and the listener's DAVE opening) is not Cadence's.
        let cpu = (after.totalCPU - before.totalCPU) - (serverAfter - serverBefore)
        result.cpuSecondsPerStreamMinute = cpu / (Double(streams) * seconds / 60)
        result.rssMBPerStream = Double(max(0, ProcessStats.residentBytes() - rssBefore)) / Double(streams) / 1_048_576
        if let voiceSampler {
            result.rssMBPerStream = Double(max(0, voiceSampler.stop() - rssBeforeVoice)) / Double(streams) / 1_048_576
        }
        pacer.shutdown()
        let report = await voice.finish()
        LocalVoice.apply(report, to: &result)
        let ours = report.streams.filter { $0.userID.hasPrefix("2000000000000000") }
        let e2ee = ours.reduce(0) { $0 + $1.e2eeFrames }, plain = ours.reduce(0) { $0 + $1.plainFrames }
        let plainAfter = ours.reduce(0) { $0 + $1.plainAfterE2EE }, opened = ours.reduce(0) { $0 + $1.e2eeOpened }
        let verdict = e2ee > 0 && plainAfter == 0 ? "E2EE confirmed" : "NOT ALL E2EE"
        result.note =
            "server counted \(e2ee) E2EE frames (\(opened) opened by the listener), \(plain) plain, \(plainAfter) plain after E2EE: \(verdict); \(active)/\(streams) connections active in DAVE before play"
        if !failures.isEmpty { result.note += "; \(failures.count) failed: \(failures[0])" }
        if countingVoice {
            result.note += "; " + NodeStreams.arrivals(report, userID: { $0.hasPrefix("2000000000000000") }, streams: streams, drops: drops)
        }
        if countingVoice {
            result.note += "; CPU by thread in the window: " + NodeStreams.breakdown(before: threadsBefore, after: threadsAfter)
        }
        return result
    }
}
