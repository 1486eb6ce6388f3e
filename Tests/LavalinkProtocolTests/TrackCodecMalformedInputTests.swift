import Foundation
import LavalinkProtocol
import Testing

/// Every way an encoded string can be broken gets its own typed error, never a crash or a
/// half-read track.
@Suite struct TrackCodecMalformedInputTests {
    static func v3Body() -> LavaplayerLayout {
        var layout = LavaplayerLayout()
        layout.byte(3)
        layout.utf("Title")
        layout.utf("Author")
        layout.long(3000)
        layout.utf("id")
        layout.byte(0)
        layout.nullable("http://h/a.mp3")
        layout.nullable(nil)
        layout.nullable(nil)
        layout.utf("http")
        layout.utf("mp3")
        layout.long(0)
        return layout
    }

    @Test func textThatIsNotBase64() {
        #expect(throws: TrackCodecError.invalidBase64(characters: 9)) { try TrackCodec.decode("not*base!") }
        // URL-safe base64 is not what Lavalink writes or reads.
        let urlSafe = Self.v3Body().base64().replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "+", with: "-")
        if urlSafe != Self.v3Body().base64() {
            #expect(throws: TrackCodecError.self) { try TrackCodec.decode(urlSafe) }
        }
    }

    @Test func anEmptyOrHeaderlessString() {
        #expect(throws: TrackCodecError.truncated(field: "header", offset: 0)) { try TrackCodec.decode("") }
        #expect(throws: TrackCodecError.truncated(field: "header", offset: 0)) { try TrackCodec.decode("QAA=") }
    }

    @Test func aHeaderSizeThatDisagreesWithTheBytes() {
        let layout = Self.v3Body()
        let count = layout.body.count
        #expect(throws: TrackCodecError.sizeMismatch(declared: count + 1, available: count)) {
            try TrackCodec.decode(layout.base64(size: count + 1))
        }
        #expect(throws: TrackCodecError.sizeMismatch(declared: count - 1, available: count)) {
            try TrackCodec.decode(layout.base64(size: count - 1))
        }
        // Four trailing bytes that are not the zero end marker are not accepted as one.
        #expect(throws: TrackCodecError.sizeMismatch(declared: count, available: count + 4)) {
            try TrackCodec.decode(layout.base64(trailer: [0, 0, 0, 1]))
        }
    }

    @Test func headerFlagsLavaplayerNeverWrites() {
        #expect(throws: TrackCodecError.unsupportedFlags(3)) { try TrackCodec.decode(Self.v3Body().base64(flags: 3)) }
        #expect(throws: TrackCodecError.unsupportedFlags(2)) { try TrackCodec.decode(Self.v3Body().base64(flags: 2)) }
    }

    @Test(arguments: [0, 4, 255])
    func aVersionOtherThan1To3(version: Int) {
        var layout = Self.v3Body()
        layout.body[0] = UInt8(version)
        #expect(throws: TrackCodecError.unsupportedVersion(version)) { try TrackCodec.decode(layout.base64()) }
    }

    @Test func aMessageCutShortInsideAField() {
        // Only the version byte, a title length of 10 and three letters, then the position.
        var layout = LavaplayerLayout()
        layout.byte(3)
        layout.body += [0, 10] + Array("Tit".utf8)
        layout.long(0)
        #expect(throws: TrackCodecError.truncated(field: "title", offset: 1)) { try TrackCodec.decode(layout.base64()) }

        var noSource = LavaplayerLayout()
        noSource.byte(2)
        noSource.utf("T")
        noSource.utf("A")
        noSource.long(1)
        noSource.utf("i")
        noSource.byte(0)
        noSource.nullable(nil)
        noSource.long(0)
        #expect(throws: TrackCodecError.truncated(field: "sourceName", offset: 20)) {
            try TrackCodec.decode(noSource.base64())
        }

        var tiny = LavaplayerLayout()
        tiny.body = [3, 0, 0]
        #expect(throws: TrackCodecError.truncated(field: "position", offset: 0)) { try TrackCodec.decode(tiny.base64()) }
    }

    @Test func bytesThatAreNotModifiedUTF8() {
        for bad: [UInt8] in [[0x80], [0xC3], [0xE2, 0x82], [0xFF], [0xE2, 0x28, 0xA1]] {
            var layout = LavaplayerLayout()
            layout.byte(3)
            layout.utf(bytes: bad)
            layout.long(0)
            #expect(throws: TrackCodecError.malformedString(field: "title", offset: 1)) {
                try TrackCodec.decode(layout.base64())
            }
        }
    }

    @Test func anHttpTrackWhoseTrailerIsNotOneProbeString() {
        var layout = LavaplayerLayout()
        layout.byte(3)
        layout.utf("T")
        layout.utf("A")
        layout.long(1)
        layout.utf("i")
        layout.byte(0)
        layout.nullable(nil)
        layout.nullable(nil)
        layout.nullable(nil)
        layout.utf("http")
        layout.utf("mp3")
        layout.body += [0xAB]
        layout.long(0)
        #expect(throws: TrackCodecError.malformedSourceDetails(source: "http", bytes: 6)) {
            try TrackCodec.decode(layout.base64())
        }
    }

    @Test func encodingWhatLavaplayerCouldNotRead() {
        let long = String(repeating: "é", count: 40_000)
        let info = TrackInfo(
            identifier: "i", isSeekable: true, author: "a", length: 1, isStream: false,
            title: long, uri: nil, sourceName: "youtube")
        #expect(throws: TrackCodecError.stringTooLong(field: "title", bytes: 80_000)) {
            try TrackCodec.encode(EncodedTrack(info: info, sourceDetails: .none))
        }
        var http = info
        http.title = "t"
        http.sourceName = "http"
        #expect(throws: TrackCodecError.missingProbe(source: "http")) {
            try TrackCodec.encode(EncodedTrack(info: http, sourceDetails: .none))
        }
    }

    @Test func errorsSayWhatIsWrong() {
        #expect(TrackCodecError.truncated(field: "title", offset: 1).description.contains("title"))
        #expect(TrackCodecError.unsupportedVersion(9).description.contains("9"))
    }
}
