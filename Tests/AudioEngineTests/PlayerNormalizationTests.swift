import AudioDSP
import AudioEngine
import COpus
import CadenceTestSupport
import Foundation
import Testing

/// Loudness normalisation through the whole engine, as a listener measures it: each track is
/// played offline into an Ogg file, and ffmpeg's `ebur128` (not the engine's meter) reads the
/// decoded Opus. The first play measures the track and hands the figure out; the second is
/// given that figure and applies one gain from the first sample.
@Suite("Player normalisation")
struct PlayerNormalizationTests {
    struct Played {
        let heard: LoudnessReference.Measurement
        let measurement: TrackMeasurement?
    }

    /// Plays `track` with `normalization` on, offline, and measures the Ogg file with ffmpeg.
    static func play(_ track: URL, loudness: TrackLoudness?, in directory: URL, name: String) async throws -> Played {
        let out = directory.appendingPathComponent("\(name).ogg")
        let sink = try OggFileSink(url: out)
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(stuckThreshold: .seconds(300)), unpaced: true)
        player.normalization = try LoudnessNormalization()
        player.play(TrackSource(location: track.path, loudness: loudness))
        for await event in player.events {
            if case .finished = event { break }
            if case let .failed(_, error) = event { throw error }
        }
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        try sink.close()
        var measurements = player.measurements.makeAsyncIterator()
        let measurement = loudness == nil ? await measurements.next() : nil
        return Played(heard: try await LoudnessReference.measure(out), measurement: measurement)
    }

    enum Track: String, CaseIterable, CustomTestStringConvertible {
        case minus30, minus20, minus8, tech3341Case1
        var testDescription: String { rawValue }
        /// What the second play must land on: the −30 LUFS track is held 9 dB up by the boost cap.
        var expectedLUFS: Double { self == .minus30 ? -21 : -14 }

        func make(in directory: URL) async throws -> URL {
            switch self {
            case .minus30: try await LoudnessTracks.programme(lufs: -30, seconds: 30, in: directory)
            case .minus20: try await LoudnessTracks.programme(lufs: -20, seconds: 30, in: directory)
            case .minus8: try await LoudnessTracks.programme(lufs: -8, seconds: 30, in: directory)
            case .tech3341Case1: try await LoudnessTracks.tech3341Case1(seconds: 30, in: directory)
            }
        }
    }

    @Test(
        "second play lands on −14 ± 0.5 LU (−21 for −30 LUFS, the +9 dB cap), ≤ −1 dBTP; first play within 1.5 LU of it",
        arguments: Track.allCases)
    func firstAndSecondPlay(track: Track) async throws {
        let directory = try Tools.temporaryDirectory("normalization-\(track.rawValue)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try await track.make(in: directory)
        let source = try await LoudnessReference.measure(file)
        let first = try await Self.play(file, loudness: nil, in: directory, name: "first")
        let measured = try #require(first.measurement, "the first play reports its measurement")
        let second = try await Self.play(file, loudness: measured.loudness, in: directory, name: "second")
        print(
            "normalisation \(track.rawValue): source \(source.integratedLUFS) LUFS \(source.truePeakDBTP) dBTP; engine measured \(String(format: "%.2f", measured.loudness.integratedLUFS)) LUFS \(String(format: "%.2f", measured.loudness.truePeakDBTP)) dBTP; second play \(second.heard.integratedLUFS) LUFS \(second.heard.truePeakDBTP) dBTP (golden \(track.expectedLUFS) ± 0.5, ≤ −1.0); first play \(first.heard.integratedLUFS) LUFS \(first.heard.truePeakDBTP) dBTP (golden within 1.5 LU of the second)"
        )
        #expect(measured.source == file.path)
        #expect(abs(measured.loudness.integratedLUFS - source.integratedLUFS) <= 0.2, "the engine's meter agrees with ffmpeg's")
        #expect(abs(second.heard.integratedLUFS - track.expectedLUFS) <= 0.5)
        #expect(second.heard.truePeakDBTP <= -1.0)
        #expect(abs(first.heard.integratedLUFS - second.heard.integratedLUFS) <= 1.5)
        #expect(first.heard.truePeakDBTP <= -1.0)
    }

    /// What the engine sent before normalisation existed, computed without it: a 48 kHz float
    /// WAV needs no resampling, so every frame is 960 of its samples, encoded by a fresh libopus
    /// encoder with the player's settings (128 kbit/s VBR, complexity 10, music).
    static func referencePackets(_ samples: [Float]) throws -> [[UInt8]] {
        var status: Int32 = 0
        let encoder = try #require(opus_encoder_create(48_000, 2, OPUS_APPLICATION_AUDIO, &status))
        defer { opus_encoder_destroy(encoder) }
        _ = cadence_opus_set_bitrate(encoder, 128_000)
        _ = cadence_opus_set_vbr(encoder, 1)
        _ = cadence_opus_set_complexity(encoder, 10)
        _ = cadence_opus_set_signal_music(encoder)
        var packets: [[UInt8]] = []
        var buffer = [UInt8](repeating: 0, count: 1_500)
        for start in stride(from: 0, to: samples.count - 1_920 + 1, by: 1_920) {
            let length = samples[start..<(start + 1_920)].withUnsafeBufferPointer { pcm in
                opus_encode_float(encoder, pcm.baseAddress!, 960, &buffer, 1_500)
            }
            packets.append(Array(buffer[0..<Int(length)]))
        }
        return packets
    }

    @Test("off, the Opus packets are byte for byte those of the engine without normalisation")
    func offIsByteIdentical() async throws {
        let directory = try Tools.temporaryDirectory("normalization-off")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try await LoudnessTracks.programme(lufs: -8, seconds: 10, in: directory)
        let samples = try await QueuedPlayback.decode(file, in: directory)
        let reference = try Self.referencePackets(samples)
        // Turned on and off again before play, so the stage has existed and must leave no trace.
        let playback = OfflinePlayback()
        defer { playback.shutdown() }
        playback.player.normalization = try LoudnessNormalization()
        playback.player.normalization = nil
        _ = try await playback.play(file.path)
        while playback.player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        let sent = playback.sink.audioFrames
        let same = zip(sent, reference).filter { $0 == $1 }.count
        // And on, the same file's packets differ (a −8 LUFS track is turned down 6 dB).
        let on = OfflinePlayback()
        defer { on.shutdown() }
        on.player.normalization = try LoudnessNormalization()
        _ = try await on.play(file.path)
        while on.player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        let differing = zip(on.sink.audioFrames, reference).filter { $0 != $1 }.count
        print(
            "normalisation off: \(same) of \(reference.count) full frames byte-identical to the reference encode (\(sent.count) sent); on: \(differing) differ"
        )
        #expect(same == reference.count)
        #expect(sent.count >= reference.count)
        #expect(differing > reference.count * 9 / 10)
    }

    @Test("turned on mid-track: heard from 2 frames past the pacer (within 100 ms), ramped, nothing repeated or skipped")
    func turnedOnMidTrackIsHeardAtOnce() async throws {
        let directory = try Tools.temporaryDirectory("normalization-instant")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = directory.appendingPathComponent("tone.wav")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "aevalsrc=0.1*sin(2*PI*440*t)|0.1*sin(2*PI*440*t):s=48000:d=10",
            "-c:a", "pcm_f32le", tone.path
        ])
        let measured = try await LoudnessReference.measure(tone)
        let rule = try LoudnessNormalization()
        let gainDB = rule.gainDB(integratedLUFS: measured.integratedLUFS, truePeakDBTP: measured.truePeakDBTP)

        let sink = SteppedSink()
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(stuckThreshold: .seconds(600)), unpaced: true)
        sink.allow(100)
        player.play(
            TrackSource(
                location: tone.path,
                loudness: TrackLoudness(
                    integratedLUFS: measured.integratedLUFS,
                    truePeakDBTP: measured.truePeakDBTP)))
        while sink.received.count < 100 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(100))
        player.normalization = rule
        while !player.settingsApplied { try await Task.sleep(for: .milliseconds(5)) }
        sink.allow(.max)
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }

        let frames = sink.received
        let left = try OpusPCM.decodeLeft(frames)
        let levels = stride(from: 0, to: left.count - 960, by: 960).map { ToneAnalysis.rms(left[$0..<($0 + 960)]) }
        let before = levels[50..<95].sorted()[22], after = levels[150..<400].sorted()[125]
        let first = try #require(levels.indices.first { $0 > 90 && levels[$0] > before * pow(10, gainDB / 40) })
        var steadyStep: Float = 0
        for i in (300 * 960)..<(301 * 960) { steadyStep = max(steadyStep, abs(left[i] - left[i - 1])) }
        var rampStep: Float = 0
        for i in (95 * 960)..<(110 * 960) { rampStep = max(rampStep, abs(left[i] - left[i - 1])) }
        print(
            "normalisation on at frame 100 (\(String(format: "%.2f", gainDB)) dB for a \(measured.integratedLUFS) LUFS tone): level \(String(format: "%.2f", ToneAnalysis.decibels(after / before))) dB higher from frame \(first) (golden 101–104, ≤ 100 ms after), \(frames.count) frames for 500 of source (+1 padding), largest step in the ramp \(rampStep) vs steady \(steadyStep)"
        )
        #expect((101...104).contains(first))
        #expect(abs(ToneAnalysis.decibels(after / before) - gainDB) <= 0.5)
        #expect(frames.count == 501, "nothing repeated or skipped")
        #expect(rampStep <= steadyStep * 1.05, "no click: the step never exceeds the louder steady tone's")
    }

    @Test("an Opus source within ±0.5 dB of the target goes out as its own packets; 2 dB off, it is transcoded")
    func opusWithinHalfADecibelPassesThrough() async throws {
        let directory = try Tools.temporaryDirectory("normalization-passthrough")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.chirp("chirp.webm", in: directory, seconds: 6, codec: ["-c:a", "libopus", "-b:a", "96k"])
        let remuxed = directory.appendingPathComponent("remuxed.opus")
        try await Tools.ffmpeg(["-i", source.path, "-c:a", "copy", remuxed.path])
        let sourcePackets = try OggReader.opusAudioPackets(Data(contentsOf: remuxed))
        var identical: [Int] = []
        // The caller's stored figures: 0.3 dB and 2 dB under the −14 LUFS target.
        for lufs in [-14.3, -16.0] {
            let playback = OfflinePlayback()
            defer { playback.shutdown() }
            playback.player.normalization = try LoudnessNormalization()
            playback.player.play(TrackSource(location: source.path, loudness: TrackLoudness(integratedLUFS: lufs, truePeakDBTP: -8)))
            _ = try await playback.collectUntilEnd()
            while playback.player.isActive { try await Task.sleep(for: .milliseconds(5)) }
            identical.append(zip(playback.sink.audioFrames, sourcePackets).filter { $0 == $1 }.count)
        }
        print(
            "normalisation on an Opus source of \(sourcePackets.count) packets: +0.3 dB gain, \(identical[0]) of them sent as they are (golden all); +2 dB, \(identical[1]) (golden none)"
        )
        #expect(identical[0] == sourcePackets.count)
        #expect(identical[1] == 0)
    }
}
