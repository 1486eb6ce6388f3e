import AudioEngine
import CadenceTestSupport
import Foundation
import Synchronization
import Testing

/// Crossfades between queued tracks as a listener hears them: A (440 Hz) and B (660 Hz) are
/// played offline into an Ogg file with `crossfadeSeconds` set, ffmpeg decodes it, and the
/// two tones' amplitudes are fitted per 20 ms window (audio-dsp.md §2.2).
@Suite("Crossfade playback")
struct CrossfadePlaybackTests {
    /// Records into an Ogg file, holding the pacer after `gateAfter` frames until `release()`,
    /// as a voice connection that dropped would: the listener's position stays put meanwhile.
    final class GatedOggSink: FrameSink {
        let file: OggFileSink
        private let gateAfter: Int
        private let sent = Atomic<Int>(0)
        private let released = Atomic<Bool>(false)
        init(url: URL, gateAfter: Int = .max) throws {
            file = try OggFileSink(url: url)
            self.gateAfter = gateAfter
        }
        var isReady: Bool { released.load(ordering: .acquiring) || sent.load(ordering: .acquiring) < gateAfter }
        var framesSent: Int { sent.load(ordering: .acquiring) }
        func release() { released.store(true, ordering: .releasing) }
        func send(opus: UnsafeRawBufferPointer) {
            file.send(opus: opus)
            sent.add(1, ordering: .releasing)
        }
        func setSpeaking(_ speaking: Bool) {}
        func sendSilence(opus: UnsafeRawBufferPointer) {}
        func audioEnded(paddingSamples: Int) { file.audioEnded(paddingSamples: paddingSamples) }
    }

    static let seconds = 8.0
    static let fade = 4.0

    /// Stereo tone of `hz` at `dBFS`, `seconds` long, as a float WAV.
    static func tone(_ hz: Int, dBFS: Double, in directory: URL, name: String) async throws -> URL {
        let url = directory.appendingPathComponent(name)
        let amplitude = pow(10, dBFS / 20)
        let channel = "\(amplitude)*sin(2*PI*\(hz)*t)"
        try await Tools.ffmpeg([
            "-f", "lavfi", "-i", "aevalsrc=\(channel)|\(channel):s=48000:d=\(seconds)",
            "-c:a", "pcm_f32le", url.path
        ])
        return url
    }

    /// Plays `a` then `b` with a crossfade of `fade` s. With `lateAfterFrames`, B is enqueued
    /// only once the listener has heard that many frames of A (the pacer is held there).
    static func play(_ a: URL, _ b: URL, fade: Double, lateAfterFrames: Int? = nil, in directory: URL) async throws -> [Float] {
        let out = directory.appendingPathComponent("crossfade.ogg")
        let sink = try GatedOggSink(url: out, gateAfter: lateAfterFrames ?? .max)
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(stuckThreshold: .seconds(300)), unpaced: true)
        player.crossfadeSeconds = fade
        player.play(a.path)
        if let lateAfterFrames {
            while sink.framesSent < lateAfterFrames { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(200))
            #expect(player.enqueue(TrackSource(location: b.path)), "A's stream is still open to a next track")
            sink.release()
        } else {
            player.enqueue(TrackSource(location: b.path))
        }
        var ended = 0
        for await event in player.events {
            if case .finished = event { ended += 1 }
            if case let .failed(_, error) = event { throw error }
            if ended == 2 { break }
        }
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        try sink.file.close()
        let stereo = try await QueuedPlayback.decode(out, in: directory)
        return stride(from: 0, to: stereo.count, by: 2).map { stereo[$0] }
    }

    struct Windows {
        /// Window centres (s) and the fitted amplitudes of 440 and 660 Hz.
        var times: [Double] = [], a440: [Double] = [], a660: [Double] = []
    }

    static func fit(_ left: [Float], window: Int = 960) -> Windows {
        var result = Windows()
        for start in stride(from: 0, to: left.count - window, by: window) {
            let amplitudes = ToneAnalysis.toneAmplitudes(left[start..<(start + window)], frequencies: [440, 660], sampleRate: 48_000)
            result.times.append((Double(start) + Double(window) / 2) / 48_000)
            result.a440.append(amplitudes[0])
            result.a660.append(amplitudes[1])
        }
        return result
    }

    @Test("D = 4 s: gains within ±0.5 dB of cos/sin, power flat ±0.5 dB, overlap at len(A) − D ± 20 ms, length len(A) + len(B) − D ± 20 ms")
    func equalPowerOverlap() async throws {
        let directory = try Tools.temporaryDirectory("crossfade-equal-power")
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try await Self.tone(440, dBFS: -20, in: directory, name: "a.wav")
        let b = try await Self.tone(660, dBFS: -20, in: directory, name: "b.wav")
        let left = try await Self.play(a, b, fade: Self.fade, in: directory)
        let seconds = Double(left.count) / 48_000
        let w = Self.fit(left)
        let steady = w.a440[50..<150].sorted()[50]  // 1–3 s: A alone
        // Where the overlap starts, from the phase of the fade in each window: θ = atan2(b, a).
        var starts: [Double] = []
        for i in w.times.indices where w.a440[i] > steady * 0.2 && w.a660[i] > steady * 0.2 {
            let theta = atan2(w.a660[i], w.a440[i])
            starts.append(w.times[i] - theta * 2 * Self.fade / .pi)
        }
        let overlapStart = starts.sorted()[starts.count / 2]
        let nominal = Self.seconds - Self.fade
        var worstOut = 0.0, worstIn = 0.0, worstPower = 0.0
        for i in w.times.indices where w.times[i] > nominal + 0.05 && w.times[i] < Self.seconds - 0.05 {
            let progress = (w.times[i] - nominal) / Self.fade
            let out = cos(progress * .pi / 2), incoming = sin(progress * .pi / 2)
            if out >= 0.25 { worstOut = max(worstOut, abs(ToneAnalysis.decibels(w.a440[i] / steady / out))) }
            if incoming >= 0.25 { worstIn = max(worstIn, abs(ToneAnalysis.decibels(w.a660[i] / steady / incoming))) }
            let power = (w.a440[i] * w.a440[i] + w.a660[i] * w.a660[i]).squareRoot()
            worstPower = max(worstPower, abs(ToneAnalysis.decibels(power / steady)))
        }
        let peak = left.map { abs($0) }.max() ?? 0
        let expected = 2 * Self.seconds - Self.fade
        print(
            "crossfade D = 4 s: overlap starts at \(String(format: "%.4f", overlapStart)) s (golden \(nominal) ± 0.020), length \(String(format: "%.4f", seconds)) s (golden \(expected) ± 0.020); worst deviation from cos \(String(format: "%.3f", worstOut)) dB, from sin \(String(format: "%.3f", worstIn)) dB, of a²(440)+a²(660) from steady \(String(format: "%.3f", worstPower)) dB (golden ≤ 0.5); sample peak \(String(format: "%.2f", ToneAnalysis.decibels(Double(peak)))) dBFS"
        )
        #expect(abs(overlapStart - nominal) <= 0.020)
        #expect(abs(seconds - expected) <= 0.020)
        #expect(worstOut <= 0.5)
        #expect(worstIn <= 0.5)
        #expect(worstPower <= 0.5)
        #expect(ToneAnalysis.decibels(Double(peak)) <= -1)
    }

    @Test("two tones at −3 dBFS: the sum (0 dBFS at the midpoint) is limited to a sample peak ≤ −1 dBFS")
    func loudOverlapIsLimited() async throws {
        let directory = try Tools.temporaryDirectory("crossfade-limited")
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try await Self.tone(440, dBFS: -3, in: directory, name: "a.wav")
        let b = try await Self.tone(660, dBFS: -3, in: directory, name: "b.wav")
        let left = try await Self.play(a, b, fade: Self.fade, in: directory)
        let overlap = left[Int((Self.seconds - Self.fade) * 48_000)..<Int(Self.seconds * 48_000)]
        let peak = ToneAnalysis.decibels(Double(overlap.map { abs($0) }.max() ?? 0))
        let outside = ToneAnalysis.decibels(Double(left[48_000..<96_000].map { abs($0) }.max() ?? 0))
        print(
            "crossfade of two −3 dBFS tones: overlap sample peak \(String(format: "%.2f", peak)) dBFS (golden ≤ −1; unlimited it would reach 0), A alone \(String(format: "%.2f", outside)) dBFS"
        )
        #expect(peak <= -1)
        #expect(outside > -3.5)
    }

    @Test("B enqueued only after the listener passed len(A) − D: gapless, no overlap, no silence over 1 ms")
    func lateNextTrackFallsBackToGapless() async throws {
        let directory = try Tools.temporaryDirectory("crossfade-late")
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try await Self.tone(440, dBFS: -20, in: directory, name: "a.wav")
        let b = try await Self.tone(660, dBFS: -20, in: directory, name: "b.wav")
        // Held at 5 s of A: past where the overlap would start (4 s), before A's end.
        let left = try await Self.play(a, b, fade: Self.fade, lateAfterFrames: 250, in: directory)
        let seconds = Double(left.count) / 48_000
        let w = Self.fit(left)
        let steady = w.a440[50..<150].sorted()[50]
        let mixed = w.times.indices.filter { w.a440[$0] > steady * 0.1 && w.a660[$0] > steady * 0.1 }.count
        let boundary = Int(Self.seconds * 48_000)
        let silence = BoundaryAnalysis.longestSilence(left: left, right: left, around: boundary)
        let aLevel = ToneAnalysis.decibels(w.a440[w.times.firstIndex { $0 > Self.seconds - 0.5 }!] / steady)
        print(
            "crossfade with B late: length \(String(format: "%.4f", seconds)) s (golden \(2 * Self.seconds) ± 0.020), \(mixed) windows hold both tones (golden ≤ 1), longest silence at the boundary \(silence) samples (golden ≤ 48), A at 7.5 s \(String(format: "%.2f", aLevel)) dB from its level"
        )
        #expect(abs(seconds - 2 * Self.seconds) <= 0.020)
        #expect(mixed <= 1)
        #expect(silence <= 48)
        #expect(abs(aLevel) <= 0.5)
    }

    @Test("crossfade 0 is gapless: the same two tones follow each other exactly")
    func zeroIsGapless() async throws {
        let directory = try Tools.temporaryDirectory("crossfade-zero")
        defer { try? FileManager.default.removeItem(at: directory) }
        let a = try await Self.tone(440, dBFS: -20, in: directory, name: "a.wav")
        let b = try await Self.tone(660, dBFS: -20, in: directory, name: "b.wav")
        let left = try await Self.play(a, b, fade: 0, in: directory)
        let seconds = Double(left.count) / 48_000
        let silence = BoundaryAnalysis.longestSilence(left: left, right: left, around: Int(Self.seconds * 48_000))
        print(
            "crossfade 0: length \(String(format: "%.5f", seconds)) s (golden \(2 * Self.seconds) ± 0.001), longest silence at the boundary \(silence) samples"
        )
        #expect(abs(seconds - 2 * Self.seconds) <= 0.001)
        #expect(silence <= 48)
    }

    /// Plays A, held at frame 100, then replaces it with `play(B)` under `fade`; returns the
    /// decoded left channel and how many frames of A the listener got before B.
    static func skip(fade: Double, in directory: URL) async throws -> (left: [Float], framesOfA: Int) {
        let a = try await Self.tone(440, dBFS: -20, in: directory, name: "a.wav")
        let b = try await Self.tone(660, dBFS: -20, in: directory, name: "b.wav")
        let out = directory.appendingPathComponent("skip.ogg")
        let sink = try GatedOggSink(url: out, gateAfter: 100)
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(stuckThreshold: .seconds(300)), unpaced: true)
        player.crossfadeSeconds = fade
        player.play(a.path)
        while sink.framesSent < 100 { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(200))
        player.play(b.path)
        while !player.settingsApplied { try await Task.sleep(for: .milliseconds(5)) }
        try await Task.sleep(for: .milliseconds(100))
        sink.release()
        var finished: [FinishReason] = []
        for await event in player.events {
            if case let .finished(_, reason) = event { finished.append(reason) }
            if case let .failed(_, error) = event { throw error }
            if finished.count == 2 { break }
        }
        #expect(finished == [.replaced, .endOfTrack])
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }
        try sink.file.close()
        let stereo = try await QueuedPlayback.decode(out, in: directory)
        let left = stride(from: 0, to: stereo.count, by: 2).map { stereo[$0] }
        let framesOfA = left.count / 960 - Int(Self.seconds * 50)
        return (left, framesOfA)
    }

    @Test("a skip with a crossfade set fades A out over about 250 ms before B; without one A stops at once")
    func skipFadesOut() async throws {
        let directory = try Tools.temporaryDirectory("crossfade-skip")
        defer { try? FileManager.default.removeItem(at: directory) }
        let (left, framesOfA) = try await Self.skip(fade: 4, in: directory)
        let w = Self.fit(left)
        let steady = w.a440[20..<80].sorted()[30]
        // The last 12 frames of A (240 ms) are the fade: each frame's level against the mean of
        // the quarter-cosine across it (the engine ramps linearly between its frame-end values).
        let fadeFirst = framesOfA - 12
        var worst = 0.0
        for k in 0..<12 where k < 10 {
            let expected = (cos(Double.pi / 2 * Double(k) / 12) + cos(Double.pi / 2 * Double(k + 1) / 12)) / 2
            worst = max(worst, abs(ToneAnalysis.decibels(w.a440[fadeFirst + k] / steady / expected)))
        }
        let before = ToneAnalysis.decibels(w.a440[fadeFirst - 1] / steady)
        let after = ToneAnalysis.decibels(w.a440[fadeFirst + 11] / steady)
        let step = Signals.largestStep(Array(left[((fadeFirst - 2) * 960)..<(framesOfA * 960)]))
        print(
            "skip with crossfade 4 s: A fades out over its last 12 frames (240 ms; golden ~250): "
                + (fadeFirst - 1...framesOfA - 1).map { String(format: "%.1f", ToneAnalysis.decibels(w.a440[$0] / steady)) }.joined(
                    separator: " ")
                + " dB; worst \(String(format: "%.2f", worst)) dB from the cosine (golden ≤ 1), largest sample step \(step) (the tone's own: 0.0058); \(framesOfA) frames of A, then B"
        )
        #expect(framesOfA == 100 + 2 + 12, "the held 100, the 2 the decoder leaves, the 12 of the fade")
        #expect(abs(before) <= 0.2)
        #expect(worst <= 1)
        #expect(after < -20)
        #expect(step < 0.01)

        let cut = try Tools.temporaryDirectory("crossfade-skip-cut")
        defer { try? FileManager.default.removeItem(at: cut) }
        let (hard, hardFramesOfA) = try await Self.skip(fade: 0, in: cut)
        let hw = Self.fit(hard)
        let lastLoud = try #require(hw.a440.indices.last { $0 < hardFramesOfA && hw.a440[$0] > steady * 0.89 })
        print(
            "skip without crossfade: A stops within \((hardFramesOfA - lastLoud) * 20) ms of its last full frame (\(hardFramesOfA) frames of A)"
        )
        #expect(hardFramesOfA - lastLoud <= 2)
    }
}
