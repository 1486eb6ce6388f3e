import Foundation
import LavalinkNode
import Testing

/// The ops a playing player produces besides start and end: exceptions for a track that
/// cannot load, and honest `frameStats` in `stats`.
@Suite struct NodeEventsTimingTests {
    @Test func aTrackWhoseMediaIsGoneStartsThenFailsWithACommonExceptionAndLoadFailed() async throws {
        let node = try await NodeHarness()
        let media = try await NodeFixtures.server("here.ogg", seconds: 2)
        let session = try await VoicePlayback.start(node: node)
        _ = try await session.joinVoice()
        let gone = media.url("gone.ogg")
        let encoded = TrackCodec.encode(
            TrackInfo(
                title: "Gone", author: "Nobody", length: 2000, identifier: gone, isStream: false,
                uri: gone, sourceName: "http", probeInfo: "ogg"))
        #expect(try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\"}}").status == 200)
        let start = try #require(await session.ops.nextEvent("TrackStartEvent"))
        let exception = try #require(await session.ops.nextEvent("TrackExceptionEvent"))
        let end = try #require(await session.ops.nextEvent("TrackEndEvent"))
        #expect((start["track"] as? [String: Any])?["encoded"] as? String == encoded)
        let detail = try #require(exception["exception"] as? [String: Any])
        #expect(detail["severity"] as? String == "common")
        #expect(detail["message"] is String && detail["cause"] is String && detail["causeStackTrace"] is String)
        #expect(end["reason"] as? String == "loadFailed")
        #expect(session.heardFrames == 0)
        await session.shutdown()
        await media.shutdown()
        await node.shutdown()
    }

    @Test func statsCarryTheEnginesFrameCountsForAPlayingPlayer() async throws {
        let node = try await NodeHarness { $0.statsInterval = 3 }
        let media = try await NodeFixtures.server("long.ogg", seconds: 20)
        let session = try await VoicePlayback.start(node: node)
        _ = try await session.joinVoice()
        let encoded = try #require(try await session.load(media.url("long.ogg"))["encoded"] as? String)
        _ = try await session.patch("{\"track\":{\"encoded\":\"\(encoded)\"}}")
        var frames: [String: Any]?
        for _ in 0..<4 where frames == nil {
            let stats = await session.ops.nextOp("stats", timeout: 5)
            frames = stats?["frameStats"] as? [String: Any]
            if frames != nil {
                #expect(stats?["players"] as? Int == 1 && stats?["playingPlayers"] as? Int == 1)
            }
        }
        let figures = try #require(frames)
        let sent = try #require(figures["sent"] as? Int)
        let nulled = try #require(figures["nulled"] as? Int)
        let deficit = try #require(figures["deficit"] as? Int)
        print("frameStats over one interval, per minute: sent \(sent), nulled \(nulled), deficit \(deficit)")
        // 50 frames a second is 3000 a minute; a healthy stream sends nearly all of them.
        #expect(abs(sent - 3000) <= 300)
        #expect(nulled <= 150 && deficit <= 150)
        _ = try await session.patch("{\"track\":{\"encoded\":null}}")
        await session.shutdown()
        await media.shutdown()
        await node.shutdown()
    }
}
