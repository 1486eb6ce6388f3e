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
        let lines: [ClientScript.Line]
        let marks: [String: Double]
        let heard: HeardAudio
        let stream: VoiceServerReport.Stream?
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

    static func run(script: String, ids: IDs) async throws -> Outcome {
        let media = try await MediaServer.start()
        media.add("staircase.mp3", data: try await StaircaseTone.mp3(seconds: trackSeconds), contentType: "audio/mpeg")
        var configuration = VoiceServerSim.Configuration()
        configuration.requireDAVE = true
        configuration.channelID = ids.channel
        let voice = VoiceServerSim(configuration: configuration)
        try await voice.start()
        voice.addDAVEListener(guildID: String(ids.guild))
        // playerUpdate every second (Lavalink's default is 5) so the resume check has queued ones.
        let node = try NodeProcess(environment: ["LAVALINK_SERVER_PLAYERUPDATEINTERVAL": "1"])
        let clock = ArrivalClock()
        do {
            _ = try await node.waitUntilServing()
            clock.start(server: voice, userID: String(ids.user))
            let client = try ClientScript(script, arguments: [
                "--node-port", "\(node.port)", "--password", node.password, "--media-url", media.url("staircase.mp3"),
                "--voice-endpoint", voice.endpoint, "--user-id", "\(ids.user)", "--guild-id", "\(ids.guild)",
                "--channel-id", "\(ids.channel)", "--track-seconds", "\(trackSeconds)",
            ])
            let deadline = Date().addingTimeInterval(120)
            while client.isRunning, Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
            client.terminate()
            try await Task.sleep(for: .milliseconds(300))
            let arrivals = clock.stop()
            let report = voice.report()
            let stream = report.stream(of: String(ids.user))
            let heard = HeardAudio(pcm: stream?.pcm ?? [], arrivals: arrivals)
            let diagnostics = "client stderr:\n\(client.stderr)\nnode log:\n\(node.log)\n\(report.summary)"
            await node.stop()
            await voice.shutdown()
            await media.shutdown()
            return Outcome(lines: client.parsed, marks: client.marks(), heard: heard, stream: stream,
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
