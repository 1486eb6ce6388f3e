import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// Every common format plays through the engine: the Opus that comes out decodes to the
/// source's length and pitch, whatever the container, codec, channel count or sample rate.
@Suite("Decoding formats")
struct DecodingFormatsTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let file: String
        let rate: Int
        let channels: Int
        let codec: [String]
        var testDescription: String { "\(file) \(channels) ch \(rate) Hz" }
    }

    static let cases: [Case] = [
        Case(file: "tone.mp3", rate: 44_100, channels: 2, codec: ["-c:a", "libmp3lame", "-b:a", "192k"]),
        Case(file: "tone-mono.mp3", rate: 22_050, channels: 1, codec: ["-c:a", "libmp3lame"]),
        Case(file: "tone.m4a", rate: 48_000, channels: 2, codec: ["-c:a", "aac", "-b:a", "192k"]),
        Case(file: "tone-51.m4a", rate: 48_000, channels: 6, codec: ["-c:a", "aac"]),
        Case(file: "tone.webm", rate: 48_000, channels: 2, codec: ["-c:a", "libopus"]),
        Case(file: "tone-opus.ogg", rate: 48_000, channels: 2, codec: ["-c:a", "libopus"]),
        Case(file: "tone-vorbis.ogg", rate: 44_100, channels: 2, codec: ["-c:a", "libvorbis"]),
        Case(file: "tone.flac", rate: 96_000, channels: 2, codec: ["-c:a", "flac"]),
        Case(file: "tone-71.flac", rate: 48_000, channels: 8, codec: ["-c:a", "flac"]),
        Case(file: "tone-8k.wav", rate: 8_000, channels: 1, codec: ["-c:a", "pcm_s16le"]),
        Case(file: "tone-51.wav", rate: 96_000, channels: 6, codec: ["-c:a", "pcm_s24le"])
    ]

    @Test("decodes to the source's duration and pitch", arguments: cases)
    func decodesToDurationAndPitch(_ testCase: Case) async throws {
        let directory = try Tools.temporaryDirectory("formats")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.tone(
            testCase.file, in: directory, seconds: 3, rate: testCase.rate,
            channels: testCase.channels, codec: testCase.codec)

        let playback = OfflinePlayback()
        defer { playback.shutdown() }
        let events = try await playback.play(source.path)
        #expect(events.first == .started(source: source.path))
        #expect(events.last == .finished(source: source.path, reason: .endOfTrack))

        let pcm = try OpusPCM.decodeLeft(playback.sink.audioFrames)
        let seconds = Double(pcm.count) / 48_000
        #expect(abs(seconds - 3) <= 0.040, "decoded \(seconds) s of a 3 s source")
        let middle = Array(pcm[24_000..<min(pcm.count, 120_000)])
        let pitch = try #require(ToneAnalysis.frequency(middle, sampleRate: 48_000))
        print("format \(testCase.testDescription): \(seconds) s, \(pitch) Hz")
        #expect(abs(pitch - 440) <= 2, "pitch \(pitch) Hz")
        // ffmpeg's sine is 1/8 full scale, 3 dB lower once spread over two channels.
        #expect(ToneAnalysis.rms(middle[...]) > 0.05, "the tone is audible")
    }

    @Test("Opus in WebM and Ogg passes through byte for byte", arguments: ["webm", "ogg"])
    func opusPassesThroughUntouched(_ container: String) async throws {
        let directory = try Tools.temporaryDirectory("passthrough")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.tone(
            "tone.\(container)", in: directory, seconds: 2,
            codec: ["-c:a", "libopus", "-b:a", "96k"])
        // The source's own packets, read back by an independent remux to Ogg.
        let remuxed = directory.appendingPathComponent("remuxed.opus")
        try await Tools.ffmpeg(["-i", source.path, "-c:a", "copy", remuxed.path])
        let sourcePackets = try OggReader.opusAudioPackets(Data(contentsOf: remuxed))

        let playback = OfflinePlayback()
        defer { playback.shutdown() }
        _ = try await playback.play(source.path)
        #expect(playback.sink.audioFrames == sourcePackets)
        #expect(sourcePackets.count >= 99)
    }

    @Test("Opus at another volume is re-encoded, not passed through")
    func opusWithVolumeIsReencoded() async throws {
        let directory = try Tools.temporaryDirectory("opus-volume")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.tone("tone.webm", in: directory, seconds: 2, codec: ["-c:a", "libopus"])
        let remuxed = directory.appendingPathComponent("remuxed.opus")
        try await Tools.ffmpeg(["-i", source.path, "-c:a", "copy", remuxed.path])
        let sourcePackets = try OggReader.opusAudioPackets(Data(contentsOf: remuxed))

        let playback = OfflinePlayback(options: PlayerOptions(volume: 0.5))
        defer { playback.shutdown() }
        _ = try await playback.play(source.path)
        let frames = playback.sink.audioFrames
        #expect(frames != sourcePackets)
        let pcm = try OpusPCM.decodeLeft(frames)
        let reference = try OpusPCM.decodeLeft(sourcePackets)
        let level = ToneAnalysis.rms(pcm[24_000..<72_000]) / ToneAnalysis.rms(reference[24_000..<72_000])
        #expect(abs(level - 0.5) < 0.05, "level ratio \(level)")
    }
}
