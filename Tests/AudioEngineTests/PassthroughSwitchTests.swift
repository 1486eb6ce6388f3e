import AudioDSP
import AudioEngine
import CadenceTestSupport
import Foundation
import Synchronization
import Testing

/// An Opus source goes out as its own packets while nothing touches the samples, is
/// transcoded from the very frame a volume change reaches, and passes through again when the
/// volume is back at 100 %, with no moment of the source repeated or skipped.
@Suite("Passthrough switching")
struct PassthroughSwitchTests {
    @Test("WebM/Opus: source packets for 5 s, transcoded at 50 %, source packets again at 100 %")
    func switchesAtTheSamePosition() async throws {
        let directory = try Tools.temporaryDirectory("passthrough-switch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.chirp("chirp.webm", in: directory, seconds: 12, codec: ["-c:a", "libopus", "-b:a", "96k"])
        let remuxed = directory.appendingPathComponent("remuxed.opus")
        try await Tools.ffmpeg(["-i", source.path, "-c:a", "copy", remuxed.path])
        let sourcePackets = try OggReader.opusAudioPackets(Data(contentsOf: remuxed))

        let sink = SteppedSink()
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        // The sink holds the pacer on purpose: that is not a stalled source.
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(stuckThreshold: .seconds(600)), unpaced: true)
        sink.allow(250)
        player.play(source.path)
        while sink.received.count < 250 { try await Task.sleep(for: .milliseconds(5)) }
        // On virtual time the pacer would run far ahead the moment the sink takes frames again,
        // so each change lands in the decoder while the pacer is held, once the ring is full.
        while player.bufferedFrames < 250 { try await Task.sleep(for: .milliseconds(5)) }
        player.volume = 0.5
        while !player.settingsApplied { try await Task.sleep(for: .milliseconds(5)) }
        sink.allow(400)
        while sink.received.count < 400 { try await Task.sleep(for: .milliseconds(5)) }
        player.volume = 1
        while !player.settingsApplied { try await Task.sleep(for: .milliseconds(5)) }
        sink.allow(.max)
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }

        let frames = sink.received
        let same = zip(frames, sourcePackets).map { $0 == $1 }
        let transcoded = same.indices.filter { !same[$0] }
        print(
            "passthrough switch: \(frames.count) frames for \(sourcePackets.count) source packets; transcoded frames \(transcoded.first ?? -1)...\(transcoded.last ?? -1) (\(transcoded.count))"
        )
        #expect(frames.count == sourcePackets.count)
        #expect(same.prefix(250).allSatisfy { $0 }, "the first 5 s are the source's own packets")
        // Each change reaches the frames the pacer had not yet been handed, 2 frames past the
        // one it was sending (frame 250 or 251: the sink counts a frame before the ring frees
        // it); the frame that ramps back to 100 % is encoded too. Nothing else is touched.
        let first = transcoded.first ?? -1, last = transcoded.last ?? -1
        #expect((251...252).contains(first) && (401...402).contains(last), "transcoded \(first)...\(last)")
        #expect(transcoded.count == last - first + 1, "the transcoded frames are one run")
        #expect(same.suffix(from: last + 1).allSatisfy { $0 }, "the source's packets again after the return to 100 %")

        // Time code: the output decodes to the source's samples, at half level in between.
        // Measured on a thread of its own, not on the cooperative pool other suites need.
        let (worst, weakest, level) = try await Tools.onThread { [frames, sourcePackets] in
            try Self.timeCode(of: frames, against: sourcePackets)
        }
        print(
            "passthrough switch: largest time-code offset \(worst) samples, weakest window correlation \(weakest); level while transcoded \(level)"
        )
        #expect(worst <= 1, "time code moved by \(worst) samples")
        // A window holding a gain ramp correlates at about 0.97 by itself; a frame out of
        // place would bring it near 0.
        #expect(weakest > 0.9, "a window no longer matches the source: correlation \(weakest)")
        #expect(abs(level - 0.5) < 0.03)
    }

    @Test("WebM/Opus: source packets for 5 s, transcoded under a filter from the same frame, source packets again once it is cleared")
    func filterSwitchesAtTheSamePosition() async throws {
        let directory = try Tools.temporaryDirectory("passthrough-filter-switch")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Fixtures.chirp("chirp.webm", in: directory, seconds: 20, codec: ["-c:a", "libopus", "-b:a", "96k"])
        let remuxed = directory.appendingPathComponent("remuxed.opus")
        try await Tools.ffmpeg(["-i", source.path, "-c:a", "copy", remuxed.path])
        let sourcePackets = try OggReader.opusAudioPackets(Data(contentsOf: remuxed))

        let sink = SteppedSink()
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let player = Player(sink: sink, pacer: pacer, options: PlayerOptions(stuckThreshold: .seconds(600)), unpaced: true)
        sink.allow(250)
        player.play(source.path)
        while sink.received.count < 250 { try await Task.sleep(for: .milliseconds(5)) }
        // The ring full again, so the change has frames to make again however slow the machine.
        while player.bufferedFrames < 250 { try await Task.sleep(for: .milliseconds(5)) }
        try player.setFilters(FilterSettings(volume: 0.5))
        while !player.settingsApplied { try await Task.sleep(for: .milliseconds(5)) }
        sink.allow(400)
        while sink.received.count < 400 { try await Task.sleep(for: .milliseconds(5)) }
        while player.bufferedFrames < 250 { try await Task.sleep(for: .milliseconds(5)) }
        try player.setFilters(FilterSettings())
        while !player.settingsApplied { try await Task.sleep(for: .milliseconds(5)) }
        sink.allow(.max)
        while player.isActive { try await Task.sleep(for: .milliseconds(5)) }

        let frames = sink.received
        let same = zip(frames, sourcePackets).map { $0 == $1 }
        let transcoded = same.indices.filter { !same[$0] }
        let first = transcoded.first ?? -1, last = transcoded.last ?? -1
        print(
            "passthrough filter switch: \(frames.count) frames for \(sourcePackets.count) source packets; transcoded frames \(first)...\(last) (\(transcoded.count))"
        )
        #expect(frames.count == sourcePackets.count)
        #expect(same.prefix(250).allSatisfy { $0 }, "the first 5 s are the source's own packets")
        #expect((251...252).contains(first), "transcoded from \(first)")
        #expect(transcoded.count == last - first + 1, "the transcoded frames are one run")
        // The frames waiting when the filter was cleared (the ring's 250) are made again through
        // the chain, now identity; after them the source's packets go out again.
        #expect(last >= 401 && last <= 402 + 250 + 2, "transcoded up to \(last)")
        #expect(same.suffix(from: last + 1).allSatisfy { $0 }, "the source's packets again after the filter is cleared")

        let (worst, weakest, level) = try await Tools.onThread { [frames, sourcePackets] in
            try Self.timeCode(of: frames, against: sourcePackets)
        }
        print(
            "passthrough filter switch: largest time-code offset \(worst) samples, weakest window correlation \(weakest); level under the filter \(level)"
        )
        #expect(worst <= 1, "time code moved by \(worst) samples")
        #expect(weakest > 0.9, "a window no longer matches the source: correlation \(weakest)")
        #expect(abs(level - 0.5) < 0.03)
    }

    /// The largest time-code offset (samples) of any 50 ms window against the source, the
    /// weakest window correlation at offset 0, and the level while transcoded.
    static func timeCode(of frames: [[UInt8]], against sourcePackets: [[UInt8]]) throws -> (Int, Double, Double) {
        let output = try OpusPCM.decodeLeft(frames)
        let reference = try OpusPCM.decodeLeft(sourcePackets)
        // Every 50 ms window lines up with the source at offset 0 (a repeated or lost frame
        // would shift everything after it by 960 samples and the correlation would collapse).
        var worst = 0
        var weakest = 1.0
        for start in stride(from: 2_400, to: output.count - 4_800, by: 2_400) {
            let offset =
                ToneAnalysis.bestOffset(
                    of: output[start..<start + 2_400], in: reference,
                    range: (start - 24)..<(start + 25)) - start
            worst = max(worst, abs(offset))
            var dot = 0.0, a = 0.0, b = 0.0
            for i in start..<start + 2_400 {
                dot += Double(output[i]) * Double(reference[i])
                a += Double(output[i]) * Double(output[i])
                b += Double(reference[i]) * Double(reference[i])
            }
            weakest = min(weakest, dot / max(1e-12, (a * b).squareRoot()))
        }
        let level = ToneAnalysis.rms(output[(300 * 960)..<(380 * 960)]) / ToneAnalysis.rms(reference[(300 * 960)..<(380 * 960)])
        return (worst, weakest, level)
    }
}
