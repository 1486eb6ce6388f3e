import CadenceTestSupport
import Foundation
import LavalinkProtocol
import Testing

/// Reading the encoded strings Lavalink nodes and clients hand a node.
@Suite struct TrackCodecDecodingTests {
    /// Lavalink's documentation example (docs/api/rest.md, "Track"), a v2 youtube track.
    static let referenceExample =
        "QAAAjQIAJVJpY2sgQXN0bGV5IC0gTmV2ZXIgR29ubmEgR2l2ZSBZb3UgVXAADlJpY2tBc3RsZXlWRVZPAAAAAAADPCAAC2RRdzR3OVdnWGNRAAEAK2h0dHBzOi8vd3d3LnlvdXR1YmUuY29tL3dhdGNoP3Y9ZFF3NHc5V2dYY1EAB3lvdXR1YmUAAAAAAAAAAA=="

    @Test(SharedData.required) func theReferenceExampleDecodesToItsDocumentedFields() throws {
        let reference = try String(
            contentsOf: SharedData.directory.appendingPathComponent("docs/lavalink-v4.md"), encoding: .utf8)
        // The reference quotes the string's start and the fields it decoded; hold the codec to them.
        let quotedStart = try #require(reference.firstMatch(of: /the docs' `(QAAA[A-Za-z0-9+\/]+)…`/)).1
        #expect(Self.referenceExample.hasPrefix(quotedStart))
        #expect(reference.contains("version **2**") && reference.contains("212000, `dQw4w9WgXcQ`"))

        let track = try TrackCodec.decode(Self.referenceExample)
        #expect(track.version == 2)
        #expect(track.info.title == "Rick Astley - Never Gonna Give You Up")
        #expect(track.info.author == "RickAstleyVEVO")
        #expect(track.info.length == 212_000)
        #expect(track.info.identifier == "dQw4w9WgXcQ")
        #expect(track.info.isStream == false && track.info.isSeekable)
        #expect(track.info.uri == "https://www.youtube.com/watch?v=dQw4w9WgXcQ")
        #expect(track.info.artworkUrl == nil && track.info.isrc == nil)
        #expect(track.info.sourceName == "youtube")
        #expect(track.sourceDetails == .none)
        #expect(track.info.position == 0)
    }

    @Test func aVersion1StringHasNoVersionByteAndNoUri() throws {
        let encoded = LavaplayerLayout.track(version: 1, source: "http", probe: "mp3", position: 1500)
        #expect(Data(base64Encoded: encoded)!.first == 0x00)
        let track = try TrackCodec.decode(encoded)
        #expect(track.version == 1)
        #expect(track.info.uri == nil)
        #expect(track.info.identifier == "http://127.0.0.1:8000/a.ogg")
        #expect(track.sourceDetails == .probe("mp3"))
        #expect(track.info.position == 1500)
    }

    @Test func aVersion2StringCarriesTheUriButNoArtwork() throws {
        let track = try TrackCodec.decode(LavaplayerLayout.track(version: 2, length: 61_000, probe: "ogg"))
        #expect(track.version == 2)
        #expect(track.info.uri == "http://127.0.0.1:8000/a.ogg")
        #expect(track.info.length == 61_000)
        #expect(track.info.artworkUrl == nil)
        #expect(track.sourceDetails == .probe("ogg"))
    }

    @Test func aVersion3StringCarriesArtworkIsrcAndTheProbeParameters() throws {
        let track = try TrackCodec.decode(
            LavaplayerLayout.track(
                version: 3, artworkUrl: "http://127.0.0.1:8000/a.jpg", isrc: "GBARL9300135",
                probe: "mp3|id3=1", position: 42_000))
        #expect(track.version == 3)
        #expect(track.info.artworkUrl == "http://127.0.0.1:8000/a.jpg")
        #expect(track.info.isrc == "GBARL9300135")
        #expect(track.sourceDetails == .probe("mp3|id3=1"))
        #expect(track.info.position == 42_000)
    }

    @Test func aLiveStreamKeepsLavaplayersUnknownLength() throws {
        let track = try TrackCodec.decode(
            LavaplayerLayout.track(
                version: 3, length: TrackInfo.unknownLength, isStream: true, probe: "mpegts-adts"))
        #expect(track.info.length == Int64.max)
        #expect(track.info.isStream && !track.info.isSeekable)
    }

    @Test func anUnknownSourcesDetailsAreKeptSoTheStringReencodesByteForByte() throws {
        // LavaSrc (spotify) writes five nullable texts and a boolean after the source name.
        var layout = LavaplayerLayout()
        layout.byte(3)
        layout.utf("Song")
        layout.utf("Artist")
        layout.long(200_000)
        layout.utf("4uLU6hMCjMI75M1A2tKUQC")
        layout.byte(0)
        layout.nullable("https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC")
        layout.nullable("https://i.scdn.co/image/x")
        layout.nullable("USRC17607839")
        layout.utf("spotify")
        let details: [UInt8] = [1, 0, 5] + Array("Album".utf8) + [0, 0, 0, 0, 1]
        layout.body += details
        layout.long(9000)
        let original = layout.base64()

        let track = try TrackCodec.decode(original)
        #expect(track.info.sourceName == "spotify")
        #expect(track.sourceDetails == .opaque(details))
        #expect(track.info.position == 9000)
        #expect(try TrackCodec.encode(track) == original)
    }

    @Test func javaStringsDecodeIncludingNulAndSurrogatePairs() throws {
        var layout = LavaplayerLayout()
        layout.byte(3)
        // "a\u{0}b 🎵" as Java's writeUTF writes it: NUL as C0 80, U+1F3B5 as two 3-byte surrogates.
        layout.utf(bytes: [0x61, 0xC0, 0x80, 0x62, 0x20, 0xED, 0xA0, 0xBC, 0xED, 0xBE, 0xB5])
        layout.utf(bytes: [0xC3, 0xA9, 0xE2, 0x82, 0xAC])  // "é€"
        layout.long(1)
        layout.utf("id")
        layout.byte(0)
        layout.nullable(nil)
        layout.nullable(nil)
        layout.nullable(nil)
        layout.utf("youtube")
        layout.long(0)
        let track = try TrackCodec.decode(layout.base64())
        #expect(track.info.title == "a\u{0}b 🎵")
        #expect(track.info.author == "é€")
    }

    @Test func lavaplayersTrailingEndMarkerAndMissingPaddingAreAccepted() throws {
        var layout = LavaplayerLayout()
        layout.byte(2)
        layout.utf("T")
        layout.utf("A")
        layout.long(5)
        layout.utf("i")
        layout.byte(0)
        layout.nullable(nil)
        layout.utf("youtube")
        layout.long(77)
        let withMarker = layout.base64(trailer: [0, 0, 0, 0])
        #expect(try TrackCodec.decode(withMarker).info.position == 77)
        let unpadded = layout.base64().replacingOccurrences(of: "=", with: "")
        #expect(try TrackCodec.decode(unpadded).info.title == "T")
    }
}
