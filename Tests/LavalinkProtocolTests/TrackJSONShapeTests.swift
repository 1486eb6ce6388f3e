import Foundation
import LavalinkProtocol
import Testing

/// The Track and LoadResult JSON carry exactly Lavalink's keys, explicit nulls included.
@Suite struct TrackJSONShapeTests {
    static func object(_ value: some Encodable) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
    }

    static func track() throws -> LavalinkTrack {
        try LavalinkTrack(EncodedTrack(info: TrackCodecRoundTripTests.httpTrack, sourceDetails: .probe("ogg")))
    }

    @Test func aTrackHasEveryKeyWithNullsForTheMissingOnes() throws {
        let json = try Self.object(try Self.track())
        #expect(Set(json.keys) == ["encoded", "info", "pluginInfo", "userData"])
        #expect((json["pluginInfo"] as? [String: Any])?.isEmpty == true)
        #expect((json["userData"] as? [String: Any])?.isEmpty == true)
        let info = try #require(json["info"] as? [String: Any])
        #expect(
            Set(info.keys) == [
                "identifier", "isSeekable", "author", "length", "isStream", "position", "title",
                "uri", "artworkUrl", "isrc", "sourceName"
            ])
        #expect(info["artworkUrl"] is NSNull && info["isrc"] is NSNull)
        #expect(info["length"] as? Int == 61_000 && info["sourceName"] as? String == "http")
    }

    @Test func aStreamsLengthIsLongMaxValue() throws {
        var info = TrackCodecRoundTripTests.httpTrack
        info.length = TrackInfo.unknownLength
        let text = String(decoding: try JSONEncoder().encode(info), as: UTF8.self)
        #expect(text.contains("\"length\":9223372036854775807"))
    }

    @Test func userDataAndPluginInfoRoundTripAndDefaultToEmpty() throws {
        var track = try Self.track()
        track.userData = .object(["requester": .integer(170_939_974_227_541_168), "tags": .array([.string("a"), .null])])
        track.pluginInfo = .object(["cadence": .object(["loudness": .double(-14.5), "cached": .bool(true)])])
        let decoded = try JSONDecoder().decode(LavalinkTrack.self, from: JSONEncoder().encode(track))
        #expect(decoded == track)

        let bare =
            #"{"encoded":"x","info":{"identifier":"i","isSeekable":true,"author":"a","length":1,"isStream":false,"position":0,"title":"t","uri":null,"sourceName":"http"}}"#
        let minimal = try JSONDecoder().decode(LavalinkTrack.self, from: Data(bare.utf8))
        #expect(minimal.userData == .emptyObject && minimal.pluginInfo == .emptyObject && minimal.info.isrc == nil)
    }

    @Test func decodingAnEncodedStringGivesTheTrackJSON() throws {
        let track = try LavalinkTrack(decoding: TrackCodecDecodingTests.referenceExample)
        #expect(track.encoded == TrackCodecDecodingTests.referenceExample)
        #expect(track.info.identifier == "dQw4w9WgXcQ" && track.info.length == 212_000)
        #expect(throws: TrackCodecError.self) { try LavalinkTrack(decoding: "AAAA") }
    }

    @Test func theFiveLoadResultShapes() throws {
        let track = try Self.track()
        let single = try Self.object(LoadResult.track(track))
        #expect(single["loadType"] as? String == "track")
        #expect((single["data"] as? [String: Any])?["encoded"] as? String == track.encoded)

        let list = try Self.object(LoadResult.playlist(.init(info: .init(name: "Mix"), tracks: [track, track])))
        #expect(list["loadType"] as? String == "playlist")
        let data = try #require(list["data"] as? [String: Any])
        #expect(Set(data.keys) == ["info", "pluginInfo", "tracks"])
        #expect((data["info"] as? [String: Any])?["selectedTrack"] as? Int == -1)
        #expect((data["tracks"] as? [Any])?.count == 2)

        let search = try Self.object(LoadResult.search([track]))
        #expect(search["loadType"] as? String == "search" && (search["data"] as? [Any])?.count == 1)

        let empty = try Self.object(LoadResult.empty)
        #expect(empty["loadType"] as? String == "empty" && (empty["data"] as? [String: Any])?.isEmpty == true)

        let failure = try Self.object(
            LoadResult.error(
                LavalinkException(
                    message: nil, severity: .suspicious, cause: "ResolverError: yt-dlp exited 1")))
        #expect(failure["loadType"] as? String == "error")
        let exception = try #require(failure["data"] as? [String: Any])
        #expect(Set(exception.keys) == ["message", "severity", "cause", "causeStackTrace"])
        #expect(exception["message"] is NSNull && exception["severity"] as? String == "suspicious")

        for result in [
            LoadResult.track(track), .search([track]), .empty,
            .playlist(.init(info: .init(name: "p", selectedTrack: 1), tracks: [track])),
            .error(.init(message: "No", severity: .common, cause: "c", causeStackTrace: "s"))
        ] {
            #expect(try JSONDecoder().decode(LoadResult.self, from: JSONEncoder().encode(result)) == result)
        }
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(LoadResult.self, from: Data(#"{"loadType":"short","data":{}}"#.utf8))
        }
    }
}
