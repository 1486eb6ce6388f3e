import AudioEngine
import Foundation
import Resolver
import Store

/// One `cadence play` or `cadence demo` run: a pacer, a player and a sink; the sources are
/// queued on the player's one stream and followed until each one finishes, with a progress
/// line on stderr.
final class PlaybackRun {
    let pacer: Pacer
    let player: Player
    let fileSink: OggFileSink?
    let showProgress: Bool
    /// Where each track's figures go at its end, when a database was given.
    var metrics: MetricsWriter?
    /// Resolves each input through yt-dlp first (`--resolve`); nil plays inputs as they are.
    var resolver: TrackResolver?
    /// Where measured loudness is kept and looked up (`--normalize` with a database).
    var loudnessCache: TrackLoudnessRepository?

    init(out: URL?, fast: Bool, options: PlayerOptions, showProgress: Bool, sink: (any FrameSink)? = nil) throws {
        pacer = Pacer(clock: fast ? VirtualClock() : MonotonicClock())
        fileSink = try out.map { try OggFileSink(url: $0) }
        let chosen: any FrameSink = sink ?? fileSink ?? CountingSink()
        player = Player(sink: chosen, pacer: pacer, options: options, unpaced: fast)
        self.showProgress = showProgress
    }

    /// Plays every source in turn on the player's one continuous stream (gapless: each is
    /// queued behind the first) and returns the figures of the whole run.
    func play(_ sources: [String], startMs: Int64) async -> RunReport {
        var report = RunReport()
        let cpuBefore = ProcessUsage.cpuSeconds()
        var events = player.events.makeAsyncIterator()
        var tracks: [TrackSource] = []
        var identities: [String] = []
        for source in sources {
            guard let resolver else {
                tracks.append(TrackSource(location: source))
                identities.append(Self.loudnessIdentity(of: source))
                continue
            }
            do {
                let (track, identity) = try await Self.trackSource(for: source, resolver: resolver)
                tracks.append(track)
                identities.append(identity)
            } catch {
                report.tracks.append(
                    .init(
                        source: source, outcome: .failed(.networkError(source: source, message: "\(error)")),
                        durationMs: 0, rssKilobytes: ProcessUsage.residentKilobytes()))
                break
            }
        }
        let keepsLoudness = player.normalization != nil ? loudnessCache : nil
        if let keepsLoudness { tracks = await Self.withStoredLoudness(tracks, identities: identities, cache: keepsLoudness) }
        if let first = tracks.first {
            player.play(first, startMs: startMs)
            for track in tracks.dropFirst() { player.enqueue(track) }
        }
        // Started once the stream is: it stops waiting when the stream is over.
        let keeper = keepsLoudness.map { keepMeasurements(of: tracks, identities: identities, startMs: startMs, cache: $0) }
        for (index, source) in sources.prefix(tracks.count).enumerated() {
            let progress = showProgress ? startProgress(for: source) : nil
            var outcome: RunReport.Track.Outcome = .finished
            loop: while let event = await events.next() {
                switch event {
                case .finished: break loop
                case let .failed(_, error):
                    outcome = .failed(error)
                    break loop
                // The decoder restarts on its own; three fruitless restarts fail the track.
                case .stuck, .started: continue
                }
            }
            progress?.cancel()
            await progress?.value
            if showProgress { FileHandle.standardError.write(Data("\n".utf8)) }
            // Recorded before the event was sent: final once the stream has gone past the track.
            let figures = player.trackFigures(index)
            let played = figures?.playedMs ?? 0
            if let stats = player.stats, let figures {
                metrics?.record(
                    PipelineMetricRecord(
                        trackTitle: (source as NSString).lastPathComponent, framesSent: figures.framesSent,
                        framesNulled: index == tracks.count - 1 ? stats.nulled : 0,
                        framesDeficit: index == tracks.count - 1 ? stats.deficit : 0,
                        recoveries: index == tracks.count - 1 ? player.recoveries : 0,
                        pacingP99Ms: stats.deviationMilliseconds(atPercentile: 99), durationMs: Int(played)))
            }
            report.tracks.append(
                .init(
                    source: source, outcome: outcome, durationMs: played,
                    rssKilobytes: ProcessUsage.residentKilobytes()))
        }
        while player.isActive { try? await Task.sleep(for: .milliseconds(5)) }
        await keeper?.value
        if let stats = player.stats { report.stats.merge(stats) }
        report.recoveries += player.recoveries
        report.cpuSeconds = ProcessUsage.cpuSeconds() - cpuBefore
        if let resolver {
            report.resolutions = (resolver.ytdlpCalls, resolver.cacheHits)
            resolver.worker?.shutdown()
        }
        pacer.shutdown()
        await metrics?.close()
        return report
    }

    func finish() throws { try fileSink?.close() }

    private func startProgress(for source: String) -> Task<Void, Never> {
        let player = player
        let name = (source as NSString).lastPathComponent
        return Task.detached {
            while !Task.isCancelled {
                let line = ProgressBar.line(name: name, positionMs: player.positionMs ?? 0, durationMs: player.durationMs)
                FileHandle.standardError.write(Data(("\r" + line).utf8))
                try? await Task.sleep(for: .milliseconds(200))
            }
            let line = ProgressBar.line(name: name, positionMs: player.positionMs ?? 0, durationMs: player.durationMs)
            FileHandle.standardError.write(Data(("\r" + line).utf8))
        }
    }
}

/// A sink that only counts, for runs without `--out`.
final class CountingSink: FrameSink {
    var isReady: Bool { true }
    func send(opus: UnsafeRawBufferPointer) {}
    func setSpeaking(_ speaking: Bool) {}
}
