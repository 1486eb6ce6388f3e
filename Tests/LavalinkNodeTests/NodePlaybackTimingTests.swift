import CadenceTestSupport
import Foundation
import Testing
import VoiceServerSim

/// A track played through the node into a DAVE voice server, as a Lavalink client drives it.
@Suite struct NodePlaybackTimingTests {
    @Test func aLoadedTrackIsHeardInTuneAndWholeAndEndsFinished() async throws {
        let node = try await NodeHarness { $0.playerUpdateInterval = 1 }
        let media = try await NodeFixtures.server("tone.ogg", seconds: 4, frequency: 440)
        let session = try await VoicePlayback.start(node: node)
        let joined = try await session.joinVoice()
        #expect((joined["state"] as? [String: Any])?["connected"] as? Bool == true)
        #expect((joined["voice"] as? [String: Any])?["channelId"] as? String == String(NodeHarness.channelID))
        let track = try await session.load(media.url("tone.ogg"))
        let encoded = try #require(track["encoded"] as? String)

        let played = try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\",\"userData\":{\"requester\":42}}}")
        #expect(played.status == 200)
        let player = try played.object()
        #expect(((player["track"] as? [String: Any])?["userData"] as? [String: Any])?["requester"] as? Int == 42)
        let start = try #require(await session.ops.nextEvent("TrackStartEvent"))
        #expect(start["guildId"] as? String == NodeHarness.guildID)
        #expect((start["track"] as? [String: Any])?["encoded"] as? String == encoded)

        // Every playerUpdate's position against what the server had heard when it arrived.
        var differences: [Double] = []
        var end: [String: Any]?
        while end == nil {
            guard
                let entry = await session.ops.nextEntry(
                    timeout: 15,
                    where: {
                        $0["op"] as? String == "playerUpdate"
                            || ($0["op"] as? String == "event" && $0["type"] as? String == "TrackEndEvent")
                    })
            else { break }
            if entry.op["op"] as? String == "event" {
                end = entry.op
                break
            }
            let heardMs = Double(session.heardFrames * 20)
            guard let state = entry.op["state"] as? [String: Any], let position = state["position"] as? Int,
                heardMs > 0, heardMs < 3900
            else { continue }
            #expect(state["connected"] as? Bool == true)
            differences.append(Double(position) - heardMs)
        }
        let finished = try #require(end)
        #expect(finished["reason"] as? String == "finished")
        _ = await session.voice.waitUntil(timeout: 3) { $0.streams.first?.silenceFrames ?? 0 >= 5 }
        let report = session.voice.report()
        let stream = try #require(report.streams.first)
        print(
            "node playback: \(stream.audioFrames) audio frames, DAVE versions \(report.gateway.negotiatedDAVEVersions), playerUpdate − heard (ms): \(differences.map { Int($0) })"
        )
        #expect(abs(stream.audioFrames - 200) <= 3)
        // DAVE was negotiated (the server closes clients without it); alone in the channel
        // there is no MLS group yet, so frames pass through as plain Opus.
        #expect(report.gateway.negotiatedDAVEVersions == [1])
        #expect(report.gateway.closeCodesSent.isEmpty)
        #expect(stream.sequenceGaps == 0 && stream.duplicates == 0)
        let pitch = try #require(ToneAnalysis.frequency(Array(stream.leftChannel.dropFirst(9600).prefix(96_000)), sampleRate: 48_000))
        #expect(abs(pitch - 440) < 3)
        #expect(differences.count >= 2)
        #expect(differences.allSatisfy { abs($0) <= 100 }, "\(differences)")
        await session.shutdown()
        await media.shutdown()
        await node.shutdown()
    }

    @Test func stopEndsStoppedAndReplacingEndsReplacedBeforeTheNextStart() async throws {
        let node = try await NodeHarness()
        let media = try await NodeFixtures.server("long.ogg", seconds: 20, frequency: 330)
        let session = try await VoicePlayback.start(node: node)
        _ = try await session.joinVoice()
        let track = try await session.load(media.url("long.ogg"))
        let encoded = try #require(track["encoded"] as? String)
        _ = try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\"}}")
        #expect(await session.ops.nextEvent("TrackStartEvent") != nil)
        // noReplace with a track playing changes nothing.
        let kept = try await node.request(.PATCH, session.playerPath + "?noReplace=TRUE", json: "{\"track\":{\"encoded\":null}}")
        #expect(kept.status == 200)
        #expect(try kept.object()["track"] is [String: Any])
        try await Task.sleep(for: .milliseconds(500))
        let replaced = try await session.patch("{\"encodedTrack\":\"\(encoded)\",\"position\":5000}")  // mafic's deprecated form
        #expect(replaced.status == 200)
        let events = session.ops
        let firstEnd = try #require(await events.nextEvent("TrackEndEvent"))
        #expect(firstEnd["reason"] as? String == "replaced")
        #expect(await events.nextEvent("TrackStartEvent") != nil)
        try await Task.sleep(for: .milliseconds(600))
        let position = try #require(((try await session.patch("{}").object())["state"] as? [String: Any])?["position"] as? Int)
        #expect(position >= 5000 && position < 7500)
        let seek = try await session.patch("{\"position\":12000}")
        #expect(seek.status == 200)
        #expect(await events.nextOp("playerUpdate") != nil)
        let paused = try await session.patch("{\"paused\":true}")
        #expect(try paused.object()["paused"] as? Bool == true)
        let frames = session.heardFrames
        try await Task.sleep(for: .milliseconds(600))
        #expect(session.heardFrames - frames <= 3)  // nothing heard while paused
        _ = try await session.patch("{\"paused\":false}")
        let stopped = try await session.patch("{\"track\":{\"encoded\":null}}")
        #expect(try stopped.object()["track"] is NSNull)
        let stopEnd = try #require(await events.nextEvent("TrackEndEvent"))
        #expect(stopEnd["reason"] as? String == "stopped")
        // Exactly one end per start: nothing more follows.
        try await Task.sleep(for: .milliseconds(500))
        #expect(await events.nextEvent("TrackEndEvent", timeout: 0.5) == nil)
        await session.shutdown()
        await media.shutdown()
        await node.shutdown()
    }
}
