import AudioDSP

/// The transcoder's loudness stage: one normalisation gain per track, applied with the volume
/// after the filters and before libopus, and a limiter that keeps true peak under the ceiling.
///
/// A track whose loudness the caller gave gets the rule's fixed gain from its first sample.
/// Any other is measured as its samples are decoded (`measure`, once per sample, before the
/// filters) by a `RunningLoudnessGain`: its gain at the moment a frame is cut is kept with the
/// frame, so a re-render gives the frame the gain it had; at the end of the input the whole
/// track's measurement fixes the gain and is handed to the caller (and reused if the same
/// location is queued again on this stream). Nothing here runs while
/// normalisation is off, so the frames are then exactly what they were without it.
///
/// The limiter is a `BlockLimiter` (zero latency, its state the gain a frame ends on, kept per
/// frame in the history): a look-ahead limiter's delay would shift the stream whenever it is
/// switched on or off mid-track (passthrough, normalisation toggled), repeating or skipping
/// that many samples.
final class LoudnessStage {
    struct Track {
        var ordinal: UInt32
        var source: String
        var known: TrackLoudness?
        var running: RunningLoudnessGain?
        /// The target the running gain was built for; a later rule shifts its gains by the difference.
        var runningTarget: Double
        /// Every sample of the input went through `running` (played from the start, no seek).
        var complete: Bool
        var live: Bool
    }

    static let keptTracks = 8
    /// Aimed 1 dB under the rule's ceiling: libopus's decode of heavily limited audio overshoots it by up to about that.
    static let opusMarginDB = 1.0
    /// Within this of 0 dB an Opus source's own packets go out unchanged.
    static let passthroughToleranceDB = 0.5

    var rule: LoudnessNormalization?
    var version = -1
    /// Also limits the frames of a crossfade's overlap, normalisation on or off.
    private(set) var limiter = BlockLimiter(ceilingDBTP: -1 - LoudnessStage.opusMarginDB, maxFrames: Transcoder.frameSamples)
    private(set) var tracks: [Track] = []
    /// Tracks this stream measured whole, by location: a track queued again later on the
    /// same stream gets its fixed gain from the first sample, as if the caller had stored it.
    private var measuredByLocation: [String: TrackLoudness] = [:]
    private let scratch: UnsafeMutablePointer<Float>

    init() {
        scratch = .allocate(capacity: Transcoder.frameFloats)
        tracks.reserveCapacity(Self.keptTracks + 1)
    }

    deinit { scratch.deallocate() }

    /// A new rule (or off) from the next frame rendered on.
    func adopt(_ rule: LoudnessNormalization?) {
        self.rule = rule
        guard let rule else {
            // What plays while it is off is not measured: the track cannot be reported whole.
            if !tracks.isEmpty { tracks[tracks.count - 1].complete = false }
            return
        }
        if limiter.ceilingDBTP != rule.truePeakCeilingDBTP - Self.opusMarginDB {
            limiter = BlockLimiter(ceilingDBTP: rule.truePeakCeilingDBTP - Self.opusMarginDB, maxFrames: Transcoder.frameSamples)
        }
        // A track begun while it was off is estimated from here on (it cannot be reported).
        if var last = tracks.last, last.known == nil, last.running == nil {
            last.running = try? RunningLoudnessGain(rule: rule, mode: last.live ? .live : .firstPlay)
            last.runningTarget = rule.targetLUFS
            tracks[tracks.count - 1] = last
        }
    }

    /// Track `ordinal` starts decoding. `fromStart`: played from its first sample, so it can
    /// be measured whole. A reopen after a fault continues the same measurement.
    func begin(ordinal: UInt32, source: TrackSource, fromStart: Bool, reopening: Bool) {
        if reopening, tracks.last?.ordinal == ordinal { return }
        let known = source.loudness ?? measuredByLocation[source.location]
        var running: RunningLoudnessGain?
        if let rule, known == nil {
            running = try? RunningLoudnessGain(rule: rule, mode: source.isLive ? .live : .firstPlay)
        }
        tracks.append(
            Track(
                ordinal: ordinal, source: source.location, known: known, running: running,
                runningTarget: rule?.targetLUFS ?? -14, complete: fromStart && running != nil,
                live: source.isLive))
        if tracks.count > Self.keptTracks { tracks.removeFirst(tracks.count - Self.keptTracks) }
    }

    /// A seek inside the current track: its measurement no longer covers it whole.
    func seeked() {
        if !tracks.isEmpty { tracks[tracks.count - 1].complete = false }
    }

    /// The current track's decoded samples (48 kHz stereo, before the filters), each once.
    func measure(_ samples: UnsafePointer<Float>, frames: Int) {
        guard rule != nil, let running = tracks.last?.running, !running.isFrozen else { return }
        var done = 0
        while done < frames {
            let run = min(frames - done, Transcoder.frameSamples)
            scratch.update(from: samples + done * 2, count: run * 2)
            running.process(scratch, frames: run)
            done += run
        }
    }

    /// The current track's input ended: its gain is fixed from the whole measurement, which is
    /// returned for the caller to store if every sample was measured.
    func endTrack() -> TrackMeasurement? {
        guard let track = tracks.last, let running = track.running, !running.isFrozen, !track.live else { return nil }
        let integrated = running.measuredLUFS, peak = running.measuredTruePeakDBTP
        running.freeze(gainDB: running.rule.gainDB(integratedLUFS: integrated, truePeakDBTP: peak))
        guard track.complete, let integrated, peak.isFinite else { return nil }
        let loudness = TrackLoudness(integratedLUFS: integrated, truePeakDBTP: peak)
        measuredByLocation[track.source] = loudness
        return TrackMeasurement(source: track.source, loudness: loudness)
    }

    /// The running gain of track `ordinal` now, kept with a frame as it is cut (0 for a track
    /// with a known loudness, whose gain follows from the rule at render time).
    func cutGainDB(track ordinal: UInt32) -> Float {
        guard rule != nil, let track = tracks.last(where: { $0.ordinal == ordinal }), let running = track.running else { return 0 }
        return Float(running.currentGainDB)
    }

    /// The normalisation gain (linear) for a frame of track `ordinal` cut with `cutGainDB`;
    /// exactly 1 with normalisation off, and for a frame that could pass through within ±0.5 dB.
    func linearGain(track ordinal: UInt32, cutGainDB: Float, canPassThrough: Bool) -> Float {
        guard let rule else { return 1 }
        let track = tracks.last { $0.ordinal == ordinal }
        var db: Double
        if let known = track?.known {
            db = rule.gainDB(integratedLUFS: known.integratedLUFS, truePeakDBTP: known.truePeakDBTP)
        } else if let track, track.running != nil {
            db = min(rule.maxBoostDB, Double(cutGainDB) + rule.targetLUFS - track.runningTarget)
        } else {
            db = 0
        }
        if canPassThrough, abs(db) <= Self.passthroughToleranceDB { db = 0 }
        return db == 0 ? 1 : LoudnessNormalization.linear(db)
    }
}

extension Transcoder {
    /// Before the first packet, and on every change: the rule the next frames are rendered with.
    func adoptNormalization(_ rule: LoudnessNormalization?, version: Int) {
        loudness.version = version
        loudness.adopt(rule)
    }
}
