import CadenceTestSupport
import Foundation
import MediaServerSim
import VoiceServerSim

/// One client's whole run: MediaServerSim serving the staircase tone, VoiceServerSim with DAVE
/// required (and a DAVE member of its own that opens the E2EE audio), `cadence node`, and the
/// client script playing `harness.scenario` through them.
struct ClientRig {
    struct IDs {
        let user: UInt64
        let guild: UInt64
        let channel: UInt64
    }

    struct Outcome: @unchecked Sendable {
        /// The script's name without `.py`, for printed figures.
        let client: String
        let lines: [ClientScript.Line]
        let marks: [String: Double]
        let heard: HeardAudio
        /// Every stream the node sent for the client's user, first first (more than one when
        /// the voice connection was made again).
        let streams: [VoiceServerReport.Stream]
        let exitStatus: Int32
        let diagnostics: String

        func lines(_ kind: String) -> [ClientScript.Line] { lines.filter { $0.kind == kind } }
        func ops(_ name: String) -> [ClientScript.Line] { lines("op").filter { $0.op?["op"] as? String == name } }
        func events(_ type: String) -> [ClientScript.Line] { lines("event").filter { $0["type"] as? String == type } }
        func mark(_ name: String) -> Double { marks[name] ?? .nan }
    }

    static let trackSeconds = 40

    /// The venv with the clients, and a `cadence` that has the `node` subcommand (branch `node`).
    static let canRun: Bool = {
        guard Tools.hasVenv, FileManager.default.isExecutableFile(atPath: Tools.cadenceExecutable.path),
            let help = try? Tools.run(Tools.cadenceExecutable.path, ["node", "--help"], timeout: 30)
        else { return false }
        return help.status == 0 && String(decoding: help.stdout + help.stderr, as: UTF8.self).contains("node")
            && !String(decoding: help.stdout, as: UTF8.self).contains("USAGE: cadence <subcommand>")
    }()

    static let skipReason = "needs .venv (scripts/bootstrap) and a cadence built with the `node` subcommand"

    /// With `CADENCE_CLIENT_TEST_DUMP=<folder>`, a run leaves what the client printed, what the
    /// server heard frame by frame, and both logs there, to see why a check failed.
    private static func dump(script: String, lines: [String], heard: HeardAudio, diagnostics: String) {
        guard let folder = ProcessInfo.processInfo.environment["CADENCE_CLIENT_TEST_DUMP"] else { return }
        let base = URL(fileURLWithPath: folder).appendingPathComponent(script.replacingOccurrences(of: ".py", with: ""))
        try? FileManager.default.createDirectory(at: URL(fileURLWithPath: folder), withIntermediateDirectories: true)
        let frames = heard.frames.map { frame in
            "\(frame.index)\t\(Int(frame.arrivalMs))\t\(frame.step.map(String.init) ?? "-")\t\(String(format: "%.1f", frame.frequency ?? 0))\t\(String(format: "%.3f", frame.rms))"
        }
        try? (lines.joined(separator: "\n") + "\n").write(to: base.appendingPathExtension("jsonl"), atomically: true, encoding: .utf8)
        try? (frames.joined(separator: "\n") + "\n").write(to: base.appendingPathExtension("frames.tsv"), atomically: true, encoding: .utf8)
        try? diagnostics.write(to: base.appendingPathExtension("log"), atomically: true, encoding: .utf8)
    }

    static func run(script: String, ids: IDs) async throws -> Outcome {
        let media = try await MediaServer.start()
        media.add("staircase.mp3", data: try await StaircaseTone.mp3(seconds: trackSeconds), contentType: "audio/mpeg")
        var configuration = VoiceServerSim.Configuration()
        configuration.requireDAVE = true
        configuration.channelID = ids.channel
        let voice = VoiceServerSim(configuration: configuration)
        try await voice.start()
        voice.addDAVEListener()  // into the configured channel, the client's
        // playerUpdate every second (Lavalink's default is 5) so the resume check has queued ones.
        let node = try NodeProcess(environment: ["LAVALINK_SERVER_PLAYERUPDATEINTERVAL": "1"])
        let clock = ArrivalClock()
        do {
            _ = try await node.waitUntilServing()
            clock.start(server: voice, userID: String(ids.user))
            let client = try ClientScript(
                script,
                arguments: [
                    "--node-port", "\(node.port)", "--password", node.password, "--media-url", media.url("staircase.mp3"),
                    "--voice-endpoint", voice.endpoint, "--user-id", "\(ids.user)", "--guild-id", "\(ids.guild)",
                    "--channel-id", "\(ids.channel)", "--track-seconds", "\(trackSeconds)"
                ])
            let deadline = Date().addingTimeInterval(120)
            while client.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            client.terminate()
            try await Task.sleep(for: .milliseconds(300))
            let arrivals = clock.stop()
            let report = voice.report()
            let streams = report.streamsInOrder.filter { $0.userID == String(ids.user) }
            let heard = HeardAudio(streams: streams, arrivals: arrivals)
            let diagnostics = "client stderr:\n\(client.stderr)\nnode log:\n\(node.log)\n\(report.summary)"
            await node.stop()
            await voice.shutdown()
            await media.shutdown()
            dump(script: script, lines: client.rawLines, heard: heard, diagnostics: diagnostics)
            return Outcome(
                client: script.replacingOccurrences(of: ".py", with: ""), lines: client.parsed, marks: client.marks(), heard: heard,
                streams: streams,
                exitStatus: client.exitStatus, diagnostics: diagnostics)
        } catch {
            _ = clock.stop()
            await node.stop()
            await voice.shutdown()
            await media.shutdown()
            throw error
        }
    }
}
