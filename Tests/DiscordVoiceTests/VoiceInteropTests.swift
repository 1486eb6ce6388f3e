import CadenceTestSupport
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

/// The local server against code nobody here wrote: discord.py 2.7.1's voice client streams
/// to it, and PyNaCl opens Cadence's packets.
@Suite struct VoiceInteropTests {
    static let interop = SharedData.packageRoot.appendingPathComponent("Tests/DiscordVoiceTests/Interop")

    @Test(.enabled(if: Tools.hasVenv, "needs .venv with discord.py 2.7.1 and PyNaCl"))
    func discordPysOwnVoiceClientIsDecodedInTuneAndInFull() async throws {
        let server = VoiceServerSim()
        try await server.start()
        let script = Self.interop.appendingPathComponent("discordpy_peer.py").path
        let result = try await Tools.runOffPool(
            Tools.venvPython.path, [script, "\(server.webSocketPort)", "3", "440"],
            timeout: 60)
        let report = server.report()
        await server.shutdown()
        #expect(result.status == 0, "\(String(decoding: result.stderr.suffix(3000), as: UTF8.self))")
        let peer = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        let stream = try #require(report.streams.first)
        let pitch = try #require(ToneAnalysis.frequency(Array(stream.leftChannel.dropFirst(4800)), sampleRate: 48_000))
        print(
            "discord.py → server: \(stream.mode), \(stream.audioFrames) frames, \(String(format: "%.2f", pitch)) Hz, "
                + "\(stream.decryptFailures) decrypt failures, \(stream.sequenceGaps) gaps, jitter p99 \(stream.jitterP99Ms) ms")
        #expect(peer?["mode"] as? String == stream.mode)
        #expect(report.gateway.maxDAVEVersions == [0])
        #expect(abs(stream.audioFrames - 150) <= 2)
        #expect(abs(pitch - 440) <= 2)
        #expect(stream.decryptFailures == 0 && stream.sequenceGaps == 0 && stream.duplicates == 0)
        #expect(stream.packetsBeforeSpeaking == 0)
    }

    @Test(.enabled(if: Tools.hasVenv, "needs .venv with PyNaCl"), arguments: EncryptionMode.allCases)
    func cadencesPacketsOpenWithPyNaCl(mode: EncryptionMode) async throws {
        guard EncryptionMode.choose(offered: [mode.rawValue]) == mode else { return }  // no AES hardware
        var configuration = VoiceServerSim.Configuration()
        configuration.offeredModes = [mode.rawValue]
        configuration.captureLimit = 40
        let harness = try await VoiceHarness(server: configuration)
        try await harness.connect()
        let tone = try await VoiceFixtures.tone(seconds: 0.5)
        _ = try await harness.playToEnd(tone.path)
        _ = await harness.server.waitUntil(timeout: 2) { $0.streams.first?.silenceFrames == 5 }
        let stream = try #require(harness.server.report().streams.first)
        await harness.shutdown()

        let request: [String: Any] = [
            "mode": stream.mode, "key": Self.hex(stream.key),
            "packets": stream.captured.map(Self.hex)
        ]
        let input = try Tools.temporaryDirectory("pynacl").appendingPathComponent("packets.json")
        try JSONSerialization.data(withJSONObject: request).write(to: input)
        let script = Self.interop.appendingPathComponent("pynacl_open.py").path
        let result = try await Tools.runOffPool("/bin/sh", ["-c", "'\(Tools.venvPython.path)' '\(script)' < '\(input.path)'"])
        #expect(result.status == 0, "\(String(decoding: result.stderr, as: UTF8.self))")
        let answer = try JSONSerialization.jsonObject(with: result.stdout) as? [String: Any]
        let payloads = try #require(answer?["payloads"] as? [Any])
        #expect(stream.mode == mode.rawValue)
        // 0.5 s of tone, the engine's one look-ahead frame, then the five silence frames.
        #expect(payloads.count == stream.captured.count && stream.captured.count == stream.audioFrames + stream.silenceFrames)
        #expect(stream.audioFrames == 26 && stream.silenceFrames == 5, "\(stream.audioFrames) + \(stream.silenceFrames)")
        for (packet, opened) in zip(stream.captured, payloads) {
            let expected = VoiceServerSim.openPayload(packet, mode: stream.mode, key: stream.key).map(Self.hex)
            #expect(opened as? String == expected)
            #expect(expected != nil)
        }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }
}
