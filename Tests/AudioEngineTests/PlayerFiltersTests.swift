import AudioDSP
import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// Lavalink's filters through the whole engine: a tone is played offline into an Ogg file with
/// the player's `filters` set, and ffmpeg's decode of that file is measured as a listener would
/// (length, pitch, level) against the golden figures of audio-dsp.md §2.4.
@Suite("Player filters")
struct PlayerFiltersTests {
    struct Heard {
        let left: [Float]
        let playedMs: Int64?
        var seconds: Double { Double(left.count) / 48_000 }
    }

    /// Plays `source` with `filters` set before `play`, offline, and decodes the Ogg file.
    static func play(_ source: URL, filters: FilterSettings, in directory: URL, name: String) async throws -> Heard {
        let out = directory.appendingPathComponent("\(name).ogg")
        let sink = try OggFileSink(url: out)
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(stuckThreshold: .seconds(300)), unpaced: true)
        try player.setFilters(filters)
        player.play(source.path)
        for await event in player.events {
            if case .finished = event { break }
            if case let .failed(_, error) = event { throw error }
        }
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        try sink.close()
        let stereo = try await QueuedPlayback.decode(out, in: directory)
        return Heard(
            left: stride(from: 0, to: stereo.count, by: 2).map { stereo[$0] },
            playedMs: player.trackFigures(0)?.playedMs)
    }

    static func middleFrequency(_ heard: Heard) -> Double {
        let middle = heard.left[(heard.left.count / 4)..<(3 * heard.left.count / 4)]
        return ToneAnalysis.frequency(Array(middle), sampleRate: 48_000) ?? 0
    }

    static let seconds = 4.0

    @Test("timescale speed 1.25: length ÷ 1.25 ± 20 ms, still 440 ± 1 Hz, position in source time")
    func speed() async throws {
        let directory = try Tools.temporaryDirectory("filters-speed")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = try await Fixtures.tone("tone.wav", in: directory, seconds: Self.seconds)
        let heard = try await Self.play(tone, filters: FilterSettings(timescale: .init(speed: 1.25)), in: directory, name: "speed")
        let hz = Self.middleFrequency(heard)
        print(
            "engine timescale speed 1.25: \(heard.seconds) s (golden \(Self.seconds / 1.25)), \(hz) Hz (golden 440), played \(heard.playedMs ?? -1) ms of source"
        )
        #expect(abs(heard.seconds - Self.seconds / 1.25) <= 0.020)
        #expect(abs(hz - 440) <= 1)
        // 3.2 s of audio covered the source's 4 s: the position counts source time.
        let played = try #require(heard.playedMs)
        #expect(abs(Double(played) - Self.seconds * 1000) <= 60, "played \(played) ms")
    }

    @Test("timescale pitch 1.25: 550 ± 2 Hz at the same length ± 20 ms")
    func pitch() async throws {
        let directory = try Tools.temporaryDirectory("filters-pitch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = try await Fixtures.tone("tone.wav", in: directory, seconds: Self.seconds)
        let heard = try await Self.play(tone, filters: FilterSettings(timescale: .init(pitch: 1.25)), in: directory, name: "pitch")
        let hz = Self.middleFrequency(heard)
        print("engine timescale pitch 1.25: \(heard.seconds) s (golden \(Self.seconds)), \(hz) Hz (golden 550)")
        #expect(abs(heard.seconds - Self.seconds) <= 0.020)
        #expect(abs(hz - 550) <= 2)
    }

    @Test("timescale rate 1.25: both, length ÷ 1.25 and 550 Hz")
    func rate() async throws {
        let directory = try Tools.temporaryDirectory("filters-rate")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = try await Fixtures.tone("tone.wav", in: directory, seconds: Self.seconds)
        let heard = try await Self.play(tone, filters: FilterSettings(timescale: .init(rate: 1.25)), in: directory, name: "rate")
        let hz = Self.middleFrequency(heard)
        print("engine timescale rate 1.25: \(heard.seconds) s (golden \(Self.seconds / 1.25)), \(hz) Hz (golden 550)")
        #expect(abs(heard.seconds - Self.seconds / 1.25) <= 0.020)
        #expect(abs(hz - 550) <= 2)
    }

    /// Level of the middle half of a tone, against the same tone played without filters.
    static func levelChange(_ filters: FilterSettings, toneHz: Int, name: String) async throws -> (decibels: Double, lengthDelta: Int) {
        let directory = try Tools.temporaryDirectory("filters-\(name)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = directory.appendingPathComponent("tone.wav")
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "sine=frequency=\(toneHz):sample_rate=48000:duration=3",
            "-af", "volume=0.2", "-ac", "2", tone.path
        ])
        let dry = try await Self.play(tone, filters: FilterSettings(), in: directory, name: "dry")
        let wet = try await Self.play(tone, filters: filters, in: directory, name: name)
        let range = 36_000..<108_000
        let ratio = ToneAnalysis.rms(wet.left[range]) / ToneAnalysis.rms(dry.left[range])
        return (ToneAnalysis.decibels(ratio), wet.left.count - dry.left.count)
    }

    @Test("equalizer band 8 (1 kHz) at +0.25 raises a 1 kHz tone by 6.0 ± 0.5 dB, length unchanged")
    func equalizer() async throws {
        let (gain, delta) = try await Self.levelChange(
            FilterSettings(equalizer: [.init(band: 8, gain: 0.25)]),
            toneHz: 1_000, name: "eq")
        print("engine equalizer band 8 +0.25 on 1 kHz: \(gain) dB (golden +6.0), length differs by \(delta) samples")
        #expect(abs(gain - 6.0) <= 0.5)
        #expect(delta == 0)
    }

    @Test("lowPass smoothing 20 lowers a 2 kHz tone as the one-pole smoother's response says")
    func lowPass() async throws {
        let (gain, delta) = try await Self.levelChange(FilterSettings(lowPass: .init(smoothing: 20)), toneHz: 2_000, name: "lowpass")
        // y += (x − y) / s: |H| = (1/s) / |1 − (1 − 1/s)·e^(−jω)| at ω = 2π·2000/48000.
        let a = 1.0 / 20, w = 2 * Double.pi * 2_000 / 48_000
        let golden = ToneAnalysis.decibels(a / ((1 - (1 - a) * cos(w)) * (1 - (1 - a) * cos(w)) + pow((1 - a) * sin(w), 2)).squareRoot())
        print("engine lowPass 20 on 2 kHz: \(gain) dB (golden \(golden)), length differs by \(delta) samples")
        #expect(abs(gain - golden) <= 0.5)
        #expect(gain < -10)
        #expect(delta == 0)
    }
}
