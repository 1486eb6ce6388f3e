import Foundation
import LavalinkNode
import Logging
import Synchronization
import VoiceServerSim

/// `cadence node` under load (issue 15): N players driven only through the node's REST API and
/// its one session WebSocket, as a Lavalink client drives them, each in its own guild, channel
/// and DAVE group on the local voice server; beside the same N in-process players with DAVE on.
///
/// Guarantees: the node's CPU is the process's less the voice server's receive thread and the
/// client's own threads; it is reported as the node's only when every player's TrackEnd
/// `finished` arrived; the E2EE verdict is the server's count of frames, as in DAVEStreams.
struct NodeStreams {
    var file: String
    var streams: Int
    var seconds: Double
    static let userID = "200000000000000000"
    static let password = "bench"

    /// Alternating pairs (in-process first), the least CPU of each kept, as DAVEStreams does:
    /// one run each on a shared 2-core machine varies by more than the overhead sought.
    func run() async throws -> (node: ScenarioResult, inProcess: ScenarioResult) {
        var inProcess: [ScenarioResult] = [], nodes: [ScenarioResult] = []
        for _ in 0..<2 {
            inProcess.append(
                try await DAVEStreams(file: file, streams: streams, seconds: seconds)
                    .runWithDAVE(name: "in-process DAVE on N=\(streams) (beside the node)", countingVoice: true))
            nodes.append(try await runNode())
        }
        let least = { (runs: [ScenarioResult]) in runs.min { $0.cpuSecondsPerStreamMinute < $1.cpuSecondsPerStreamMinute }! }
        var node = least(nodes), local = least(inProcess)
        let all = { (runs: [ScenarioResult]) in runs.map { String(format: "%.3f", $0.cpuSecondsPerStreamMinute) }.joined(separator: "/") }
        node.comparedCPUSecondsPerStreamMinute = local.cpuSecondsPerStreamMinute
        node.comparedRSSMBPerStream = local.rssMBPerStream
        node.note = "CPU s/stream-min node runs \(all(nodes)), in-process runs \(all(inProcess)) (best of 2 each); " + node.note
        local.note = "CPU s/stream-min runs \(all(inProcess)); " + local.note
        return (node, local)
    }

    /// What the session socket brought, filled by the client's reader thread.
    private final class Observed: Sendable {
        let seen = Mutex(Seen())
    }

    private struct Seen {
        var ends: [String: String] = [:]
        var exceptions = 0, stuck = 0, closed = 0
        var frameStats: [(sent: Int, nulled: Int, deficit: Int)] = []
    }

    func runNode() async throws -> ScenarioResult {
        var voiceConfiguration = VoiceServerSim.Configuration()
        voiceConfiguration.decodesAudio = false
        voiceConfiguration.sendIgnorableOps = false
        let server = VoiceServerSim(configuration: voiceConfiguration)
        try await server.start()

        var configuration = NodeConfiguration()
        configuration.port = 0
        configuration.password = Self.password
        configuration.sources["local"] = true
        configuration.allowPrivateNetwork = true
        // A 250-frame ring, as the in-process players have (the node's default, 400 ms, gives 50).
        configuration.bufferDurationMs = 5000
        // A few `stats` ops during play, for their frameStats (Lavalink sends one a minute).
        let statsEvery = max(2, (seconds / 4).rounded())
        configuration.statsInterval = statsEvery
        var logger = Logger(label: "bench.node")
        logger.logLevel = .warning
        let node = LavalinkNodeServer(configuration: configuration, logger: logger, handlesSignals: false)
        let serving = Task { try await node.run() }
        guard let port = await node.boundPort() else { throw BenchFailure("the node did not bind") }
        let client = NodeClient(port: port, password: Self.password, threads: 10)
        defer { client.stop() }

        let observed = Observed()
        let (ended, endedInput) = AsyncStream<Void>.makeStream()
        let (socket, sessionID) = try await client.openSession(userID: Self.userID) { text in
            guard let op = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return }
            observed.seen.withLock { seen in
                switch (op["op"] as? String, op["type"] as? String) {
                case ("event", "TrackEndEvent"):
                    seen.ends[op["guildId"] as? String ?? "?"] = op["reason"] as? String ?? "?"
                    endedInput.yield(())
                case ("event", "TrackExceptionEvent"): seen.exceptions += 1
                case ("event", "TrackStuckEvent"): seen.stuck += 1
                case ("event", "WebSocketClosedEvent"): seen.closed += 1
                case ("stats", _):
                    if let frames = op["frameStats"] as? [String: Any] {
                        seen.frameStats.append((frames["sent"] as? Int ?? 0, frames["nulled"] as? Int ?? 0, frames["deficit"] as? Int ?? 0))
                    }
                default: break
                }
            }
        }

        // The fixture by path (sources.local), loaded once: every player plays the same track.
        let identifier = file.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? file
        let loaded = try await client.request("GET", "/v4/loadtracks?identifier=\(identifier)").object()
        guard loaded["loadType"] as? String == "track", let encoded = (loaded["data"] as? [String: Any])?["encoded"] as? String
        else { throw BenchFailure("loadtracks: \(loaded)") }

        let rssBefore = ProcessStats.residentBytes()
        let sampler = RSSSampler()
        let guilds = (0..<streams).map { "\($0 + 1)" }
        for (index, guild) in guilds.enumerated() {
            // Each player its own guild's channel: N calls, each its own MLS group with a listener.
            let channel = 500_000_000_000_000_000 + UInt64(index)
            server.setVoiceChannel(channel, forUser: Self.userID, inGuild: guild)
            server.addDAVEListener(channelID: channel)
        }
        let players = "/v4/sessions/\(sessionID)/players/"
        try await patchAll(
            client,
            guilds.indices.map { index -> (String, String) in
                (
                    players + guilds[index],
                    """
                    {"voice":{"token":"bench","endpoint":"\(server.endpoint)","sessionId":"bench-node-\(index)","channelId":"\(500_000_000_000_000_000 + UInt64(index))"}}
                    """
                )
            })
        // The node's voice connections are out of sight: let the calls' groups form (the
        // verdict below counts any plain frame sent before they did).
        try await Task.sleep(for: .seconds(1))

        let dropsBefore = ProcessStats.udpReceiveBufferErrors()
        let threadsBefore = ProcessStats.threadCPUByName(), before = ProcessStats.now()
        try await patchAll(client, guilds.map { (players + $0, #"{"track":{"encoded":"\#(encoded)"}}"#) })
        var count = 0
        let deadline = Task {
            try await Task.sleep(for: .seconds(seconds + 60))
            endedInput.finish()
        }
        for await _ in ended {
            count += 1
            if count == streams { break }
        }
        deadline.cancel()
        let after = ProcessStats.now(), threadsAfter = ProcessStats.threadCPUByName()
        let drops = ProcessStats.udpReceiveBufferErrors() - dropsBefore
        let peak = sampler.stop()

        var result = ScenarioResult(name: "cadence node REST N=\(streams) (MP3→Opus, DAVE on)", streams: streams, seconds: seconds)
        let delta = { (name: String) in (threadsAfter[name] ?? 0) - (threadsBefore[name] ?? 0) }
        let cpu = (after.totalCPU - before.totalCPU) - delta("voice-sim.udp") - delta(NodeClient.threadName)
        result.cpuSecondsPerStreamMinute = cpu / (Double(streams) * seconds / 60)
        result.rssMBPerStream = Double(max(0, peak - rssBefore)) / Double(streams) / 1_048_576

        _ = await server.waitUntil(timeout: 2) { report in
            report.streams.count >= streams && report.streams.allSatisfy { $0.silenceFrames >= 5 }
        }
        let report = server.report(includeAudio: false)
        socket.end()
        await node.shutdown()
        _ = try? await serving.value
        await server.shutdown()

        let state = observed.seen.withLock { $0 }
        fill(&result, report: report, state: state, statsEvery: statsEvery)
        LocalVoice.apply(report, to: &result)
        result.note += "; " + Self.arrivals(report, userID: Self.userID, streams: streams, drops: drops)
        result.note += "; CPU by thread in the window: " + Self.breakdown(before: threadsBefore, after: threadsAfter)
        return result
    }

    private func fill(_ result: inout ScenarioResult, report: VoiceServerReport, state: Seen, statsEvery: Double) {
        let ours = report.streams.filter { $0.userID == Self.userID }
        result.sent = ours.reduce(0) { $0 + $1.packets }
        // frameStats are per-player averages over the last interval, scaled to a minute.
        let scale = Double(streams) * statsEvery / 60
        result.nulled = Int((Double(state.frameStats.reduce(0) { $0 + $1.nulled }) * scale).rounded())
        result.deficit = Int((Double(state.frameStats.reduce(0) { $0 + $1.deficit }) * scale).rounded())
        let e2ee = ours.reduce(0) { $0 + $1.e2eeFrames }, plain = ours.reduce(0) { $0 + $1.plainFrames }
        let plainAfter = ours.reduce(0) { $0 + $1.plainAfterE2EE }, opened = ours.reduce(0) { $0 + $1.e2eeOpened }
        let decrypted = ours.filter { $0.e2eeFrames > 0 && $0.plainAfterE2EE == 0 }.count
        let verdict = decrypted == streams ? "E2EE confirmed on every stream" : "NOT ALL E2EE (\(decrypted)/\(streams) streams)"
        let finished = state.ends.values.filter { $0 == "finished" }.count
        let samples = state.frameStats.map { "\($0.sent)/\($0.nulled)/\($0.deficit)" }.joined(separator: ", ")
        result.note =
            "\(finished)/\(streams) TrackEnd finished (\(state.ends.count) TrackEnd in all, \(state.exceptions) exceptions, "
            + "\(state.stuck) stuck, \(state.closed) WebSocketClosed); server counted \(e2ee) E2EE frames (\(opened) opened by the listeners), "
            + "\(plain) plain, \(plainAfter) plain after E2EE: \(verdict); frameStats sent/nulled/deficit per player-minute, every "
            + String(format: "%.0f s: ", statsEvery) + (samples.isEmpty ? "none" : samples)
            + "; sent = packets the server got, nulled/deficit from those samples; send deviation and first packet are not visible through REST"
        if finished < streams { result.note = "INCOMPLETE: " + result.note }
    }

    /// Up to ten requests at a time (the client's threads); every one must answer 200.
    private func patchAll(_ client: NodeClient, _ requests: [(String, String)]) async throws {
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (path, body) in requests {
                group.addTask {
                    let reply = try await client.request("PATCH", path, json: body)
                    guard reply.status == 200 else { throw BenchFailure("PATCH \(path): \(reply.status) \(reply.text)") }
                }
            }
            try await group.waitForAll()
        }
    }

    /// How much of what was sent the server saw: streams, packets per stream, and the kernel's
    /// receive-buffer drops in the window (a starved receive thread loses datagrams there).
    static func arrivals(_ report: VoiceServerReport, userID: (String) -> Bool, streams: Int, drops: Int) -> String {
        let ours = report.streams.filter { userID($0.userID) }.map(\.packets)
        return "server saw \(ours.count)/\(streams) streams, packets per stream \(ours.min() ?? 0)–\(ours.max() ?? 0), "
            + "\(report.unknownSSRCPackets) unknown-SSRC; UDP receive-buffer drops in the window (machine-wide) \(drops)"
    }

    static func arrivals(_ report: VoiceServerReport, userID: String, streams: Int, drops: Int) -> String {
        arrivals(report, userID: { $0 == userID }, streams: streams, drops: drops)
    }

    /// The threads that used the most CPU between two readings, by name.
    static func breakdown(before: [String: Double], after: [String: Double]) -> String {
        let deltas = after.map { ($0.key, $0.value - (before[$0.key] ?? 0)) }.filter { $0.1 > 0.005 }.sorted { $0.1 > $1.1 }
        return deltas.prefix(8).map { "\($0.0) " + String(format: "%.2f s", $0.1) }.joined(separator: ", ")
    }
}
