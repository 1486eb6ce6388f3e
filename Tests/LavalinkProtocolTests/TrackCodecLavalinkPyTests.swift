import CadenceTestSupport
import Foundation
import LavalinkProtocol
import Testing

/// Strings pass both ways between Cadence and lavalink.py 5.11.1's own `decode_track` and
/// `encode_track` (run in the venv), which read and write what Lavalink nodes do.
@Suite(.enabled(if: LavalinkPy.isInstalled, "no .venv with lavalink 5.11.1 (run scripts/bootstrap)"))
struct TrackCodecLavalinkPyTests {
    static let tracks: [EncodedTrack] = {
        var radio = TrackCodecRoundTripTests.httpTrack
        radio.length = TrackInfo.unknownLength
        radio.isStream = true
        radio.isSeekable = false
        radio.position = 0
        var art = TrackCodecRoundTripTests.httpTrack
        art.artworkUrl = "http://127.0.0.1:8000/cover.jpg"
        art.isrc = "GBARL9300135"
        art.title = "Émoji 🎵 and 𝄞, CJK 音楽"
        art.author = "Ünïcödé"
        var youtube = art
        youtube.sourceName = "youtube"
        youtube.identifier = "dQw4w9WgXcQ"
        youtube.uri = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
        return [
            EncodedTrack(info: TrackCodecRoundTripTests.httpTrack, sourceDetails: .probe("ogg")),
            EncodedTrack(info: radio, sourceDetails: .probe("mp3")),
            EncodedTrack(info: art, sourceDetails: .probe("matroska/webm")),
            EncodedTrack(info: youtube, sourceDetails: .none)
        ]
    }()

    static func fields(_ info: TrackInfo, probe: String?) -> [String: Any] {
        var fields: [String: Any] = [
            "title": info.title, "author": info.author, "length": info.length, "identifier": info.identifier,
            "isStream": info.isStream, "uri": info.uri ?? NSNull(), "sourceName": info.sourceName,
            "position": info.position, "artworkUrl": info.artworkUrl ?? NSNull(), "isrc": info.isrc ?? NSNull()
        ]
        if let probe { fields["probe"] = probe }
        return fields
    }

    static func probe(_ details: SourceDetails) -> String? {
        if case let .probe(probe) = details { probe } else { nil }
    }

    @Test func cadenceStringsDecodeInLavalinkPyToTheSameFields() throws {
        let encoded = try Self.tracks.map { try TrackCodec.encode($0) }
        let decoded = try LavalinkPy.run(decode: encoded).decoded
        #expect(decoded.count == Self.tracks.count)
        for (track, python) in zip(Self.tracks, decoded) {
            #expect(python["error"] == nil, "\(python)")
            let info = track.info
            #expect(python["version"] as? Int == 3)
            #expect(python["title"] as? String == info.title)
            #expect(python["author"] as? String == info.author)
            #expect((python["length"] as? NSNumber)?.int64Value == info.length)
            #expect(python["identifier"] as? String == info.identifier)
            #expect(python["isStream"] as? Bool == info.isStream)
            #expect(python["uri"] as? String == info.uri)
            #expect(python["artworkUrl"] as? String == info.artworkUrl)
            #expect(python["isrc"] as? String == info.isrc)
            #expect(python["sourceName"] as? String == info.sourceName)
            #expect((python["position"] as? NSNumber)?.int64Value == info.position)
            #expect(python["probe"] as? String == Self.probe(track.sourceDetails))
        }
    }

    @Test func theReferenceExampleDecodesAlikeInBoth() throws {
        let python = try #require(try LavalinkPy.run(decode: [TrackCodecDecodingTests.referenceExample]).decoded.first)
        let cadence = try TrackCodec.decode(TrackCodecDecodingTests.referenceExample)
        #expect(python["title"] as? String == cadence.info.title)
        #expect(python["version"] as? Int == cadence.version)
        #expect((python["length"] as? NSNumber)?.int64Value == cadence.info.length)
    }

    @Test func lavalinkPyV3AndV2StringsDecodeInCadence() throws {
        var requests: [[String: Any]] = Self.tracks.map { Self.fields($0.info, probe: Self.probe($0.sourceDetails)) }
        // Without artworkUrl and isrc lavalink.py writes version 2.
        var v2 = Self.fields(Self.tracks[0].info, probe: "ogg")
        v2["artworkUrl"] = nil
        v2["isrc"] = nil
        requests.append(v2)
        let encoded = try LavalinkPy.run(encode: requests).encoded
        let expectedVersions = Array(repeating: 3, count: Self.tracks.count) + [2]
        for (index, reply) in encoded.enumerated() {
            let pair = try #require(reply as? [Any], "\(reply)")
            #expect(pair[0] as? Int == expectedVersions[index])
            let decoded = try TrackCodec.decode(try #require(pair[1] as? String))
            var expected = index < Self.tracks.count ? Self.tracks[index] : Self.tracks[0]
            expected.version = expectedVersions[index]
            #expect(decoded == expected)
        }
    }

    @Test func aLavalinkPyStringReencodesInCadenceToTheSameBytesWhenItIsBMPOnly() throws {
        // lavalink.py writes plain UTF-8 (Java would write surrogates for 🎵), so exact bytes
        // match only for text in the Basic Multilingual Plane.
        let track = Self.tracks[0]
        let python = try #require(try LavalinkPy.run(encode: [Self.fields(track.info, probe: "ogg")]).encoded.first as? [Any])
        let pythonString = try #require(python[1] as? String)
        #expect(try TrackCodec.encode(TrackCodec.decode(pythonString)) == pythonString)
        #expect(try TrackCodec.encode(track) == pythonString)
    }
}
