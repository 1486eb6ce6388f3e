import CadenceTestSupport
import Foundation
import Synchronization
import VoiceServerSim

/// When each decoded frame reached the voice server, on the wall clock the node and the
/// clients use. The server keeps PCM in order but no per-frame times, so this samples its
/// report every few milliseconds: the newest frame's arrival and the frame count.
final class ArrivalClock: Sendable {
    struct Sample {
        let frames: Int
        /// Wall-clock ms at which frame `frames − 1` arrived.
        let lastArrivalMs: Double
    }

    private let samples = Locked<[UInt32: [Sample]]>([:])
    private let task = Locked<Task<Void, Never>?>(nil)

    func start(server: VoiceServerSim, userID: String) {
        let samples = self.samples
        task.withLock {
            $0 = Task.detached {
                while !Task.isCancelled {
                    // Every stream of the user: a client that re-creates its player opens a new one.
                    let offset = Date().timeIntervalSince1970 * 1000 - Double(SimClock.nanoseconds()) / 1e6
                    for stream in server.report(includeAudio: false).streams
                    where stream.userID == userID && stream.decodedFrames > 0 {
                        let arrival = Double(stream.lastArrivalNanoseconds) / 1e6 + offset
                        samples.withLock { all in
                            if all[stream.ssrc]?.last?.frames != stream.decodedFrames {
                                all[stream.ssrc, default: []].append(Sample(frames: stream.decodedFrames, lastArrivalMs: arrival))
                            }
                        }
                    }
                    try? await Task.sleep(for: .milliseconds(5))
                }
            }
        }
    }

    func stop() -> [UInt32: [Sample]] {
        task.withLock { $0?.cancel() }
        return samples.withLock { $0 }
    }
}

/// The decoded audio as a listener hears it: per 20 ms frame, when it arrived, its pitch and
/// level, and which second of the staircase tone it belongs to.
struct HeardAudio {
    struct Frame {
        let index: Int
        let arrivalMs: Double
        let frequency: Double?
        let rms: Double
        /// The staircase second this frame's pitch names, nil for silence or a pitch off the grid.
        let step: Int?
    }

    /// A step edge: the first frame of `step` right after frames of `step − 1`.
    struct Edge {
        let step: Int
        let arrivalMs: Double
    }

    let frames: [Frame]

    /// The frames of all `streams`, in the order they arrived.
    init(streams: [VoiceServerReport.Stream], arrivals: [UInt32: [ArrivalClock.Sample]]) {
        let merged = streams.flatMap { Self.frames(pcm: $0.pcm, arrivals: arrivals[$0.ssrc] ?? []) }
            .sorted { $0.arrivalMs < $1.arrivalMs }
        // A step only counts when a neighbour agrees: Opus's first frame after a start and the
        // frame a pause or seek cuts through carry a blend of pitches, not a time code.
        frames = merged.indices.map { index in
            let frame = merged[index]
            let agrees =
                (index > 0 && merged[index - 1].step == frame.step)
                || (index + 1 < merged.count && merged[index + 1].step == frame.step)
            return Frame(
                index: index, arrivalMs: frame.arrivalMs, frequency: frame.frequency, rms: frame.rms,
                step: agrees ? frame.step : nil)
        }
    }

    private static func frames(pcm: [Int16], arrivals: [ArrivalClock.Sample]) -> [Frame] {
        let samplesPerFrame = 960 * 2
        let count = pcm.count / samplesPerFrame
        var frames: [Frame] = []
        frames.reserveCapacity(count)
        var sampleIndex = 0
        for index in 0..<count {
            while sampleIndex < arrivals.count - 1, arrivals[sampleIndex].frames <= index { sampleIndex += 1 }
            let anchor = arrivals.isEmpty ? ArrivalClock.Sample(frames: count, lastArrivalMs: 0) : arrivals[sampleIndex]
            let arrival = anchor.lastArrivalMs - Double(max(0, anchor.frames - 1 - index)) * 20
            let left = stride(from: index * samplesPerFrame, to: (index + 1) * samplesPerFrame, by: 2)
                .map { Float(pcm[$0]) / 32768 }
            let rms = ToneAnalysis.rms(left[...])
            let frequency = rms > 0.02 ? ToneAnalysis.frequency(left, sampleRate: 48_000) : nil
            var step: Int?
            if let frequency {
                let nearest = Int(((frequency - StaircaseTone.baseHz) / StaircaseTone.stepHz).rounded())
                if nearest >= 0, abs(frequency - StaircaseTone.frequency(ofStep: nearest)) < 12 { step = nearest }
            }
            frames.append(Frame(index: index, arrivalMs: arrival, frequency: frequency, rms: rms, step: step))
        }
        return frames
    }

    func frames(from start: Double, to end: Double) -> [Frame] {
        frames.filter { $0.arrivalMs >= start && $0.arrivalMs < end }
    }

    /// Frames with a staircase pitch in the window.
    func tone(from start: Double, to end: Double) -> [Frame] { frames(from: start, to: end).filter { $0.step != nil } }

    /// Step edges in the window, each confirmed by two frames on either side.
    func edges(from start: Double, to end: Double) -> [Edge] {
        let tone = self.tone(from: start - 100, to: end + 100)
        var edges: [Edge] = []
        guard tone.count >= 4 else { return edges }
        for i in 2..<(tone.count - 1) {
            guard let before = tone[i - 1].step, before == tone[i - 2].step, let now = tone[i].step,
                now == before + 1, tone[i + 1].step == now, tone[i].arrivalMs >= start, tone[i].arrivalMs < end
            else { continue }
            edges.append(Edge(step: now, arrivalMs: tone[i].arrivalMs))
        }
        return edges
    }

    /// Seconds of track per second heard: the slope of step against arrival over the edges.
    func speed(from start: Double, to end: Double) -> Double? {
        let edges = self.edges(from: start, to: end)
        guard edges.count >= 3 else { return nil }
        let xs = edges.map { $0.arrivalMs / 1000 }, ys = edges.map { Double($0.step) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let sxy = zip(xs, ys).map { ($0 - mx) * ($1 - my) }.reduce(0, +)
        let sxx = xs.map { ($0 - mx) * ($0 - mx) }.reduce(0, +)
        return sxx > 0 ? sxy / sxx : nil
    }

    /// Where in the track (ms) the audio arriving at `time` was, from the last edge before it at
    /// `speed`; nil without an edge in the `lookback` ms before it.
    func trackPosition(at time: Double, speed: Double = 1, lookback: Double = 1500) -> Double? {
        guard let edge = edges(from: time - lookback, to: time).last else { return nil }
        return Double(edge.step) * 1000 + (time - edge.arrivalMs) * speed
    }

    /// Median RMS of the tone frames in the window, in dBFS.
    func levelDB(from start: Double, to end: Double) -> Double? {
        let levels = tone(from: start, to: end).map(\.rms).sorted()
        guard !levels.isEmpty else { return nil }
        return 20 * log10(levels[levels.count / 2])
    }

    /// The largest gap between consecutive frame arrivals in the window, ms.
    func longestGap(from start: Double, to end: Double) -> Double {
        let window = frames(from: start, to: end)
        return zip(window, window.dropFirst()).map { $1.arrivalMs - $0.arrivalMs }.max() ?? .infinity
    }
}
