import Foundation
import LavalinkProtocol
import Testing

/// What Cadence writes is exactly lavaplayer's layout, and reads back to the same track.
@Suite struct TrackCodecRoundTripTests {
    static let httpTrack = TrackInfo(
        identifier: "http://127.0.0.1:8000/tone.ogg", isSeekable: true, author: "Unknown artist", length: 61_000,
        isStream: false, position: 2500, title: "Tone 440 Hz", uri: "http://127.0.0.1:8000/tone.ogg",
        artworkUrl: nil, isrc: nil, sourceName: "http")

    @Test func anHttpTrackIsWrittenAsLavaplayerWritesIt() throws {
        let encoded = try TrackCodec.encode(EncodedTrack(info: Self.httpTrack, sourceDetails: .probe("ogg")))
        let expected = LavaplayerLayout.track(
            version: 3, title: "Tone 440 Hz", author: "Unknown artist", length: 61_000,
            identifier: "http://127.0.0.1:8000/tone.ogg", uri: "http://127.0.0.1:8000/tone.ogg",
            source: "http", probe: "ogg", position: 2500)
        #expect(encoded == expected)
        #expect(Data(base64Encoded: encoded)!.prefix(1) == Data([0x40]))
    }

    @Test func everyFieldSurvivesARoundTrip() throws {
        var info = Self.httpTrack
        info.title = "Nul \u{0} and 🎵 in a title, ünïcödé"
        info.author = "𝄞 clef"
        info.artworkUrl = "http://127.0.0.1:8000/a.jpg"
        info.isrc = "USRC17607839"
        info.position = Int64(Int32.max) + 5
        let track = EncodedTrack(info: info, sourceDetails: .probe("matroska/webm"))
        let decoded = try TrackCodec.decode(try TrackCodec.encode(track))
        #expect(decoded == track)
    }

    @Test func aStreamAndAYoutubeTrackRoundTrip() throws {
        var stream = Self.httpTrack
        stream.length = TrackInfo.unknownLength
        stream.isStream = true
        stream.isSeekable = false
        stream.position = 0
        let radio = EncodedTrack(info: stream, sourceDetails: .probe("mp3"))
        #expect(try TrackCodec.decode(try TrackCodec.encode(radio)) == radio)

        let example = try TrackCodec.decode(TrackCodecDecodingTests.referenceExample)
        var upgraded = example
        upgraded.version = TrackCodec.writtenVersion
        // Re-encoding an old string upgrades it to v3 with the same fields.
        let v3 = try TrackCodec.decode(try TrackCodec.encode(example))
        #expect(v3 == upgraded)
    }

    @Test func theJavaEncodingOfNulAndSupplementaryCharactersIsWrittenExactly() throws {
        var info = Self.httpTrack
        info.title = "a\u{0}🎵"
        let bytes = Array(Data(base64Encoded: try TrackCodec.encode(EncodedTrack(info: info, sourceDetails: .probe("ogg"))))!)
        // header (4) + version (1), then the title's writeUTF.
        #expect(Array(bytes[5..<16]) == [0x00, 0x09, 0x61, 0xC0, 0x80, 0xED, 0xA0, 0xBC, 0xED, 0xBE, 0xB5])
    }
}
