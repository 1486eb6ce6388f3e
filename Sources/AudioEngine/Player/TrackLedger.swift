import Synchronization

/// The tracks of one continuous stream, by ordinal, and what the player reports about them.
///
/// The player appends tracks (the first, then each next one); the decoder thread takes them
/// in order and records durations and failures; the pacer thread tells it when the first frame
/// of a track went out and when the stream ended. Events therefore follow what the listener
/// heard: a track's `finished` comes when the next track's first frame is sent, in order.
final class TrackLedger: Sendable {
    struct Record: Sendable {
        var source: TrackSource
        var durationMs: Int64 = -1
        var error: EngineError?
        var started = false
        var reported = false
        /// The stream's sent-frame count when the track's first frame went out, and when it ended.
        var firstFrame = -1
        var endFrame = -1
        var playedMs: Int64 = 0
        /// Cleared (`setNext(nil)` or replaced) before the decoder began it.
        var removed = false
    }

    private struct State {
        var records: [Record] = []
        /// Highest ordinal the decoder has begun.
        var decoderAt = -1
        var playing: Int?
        var endReason: FinishReason?
        /// The decoder found no next track and ends the stream: nothing can be added.
        var closed = false
    }

    private let state = Mutex(State())
    private let continuation: AsyncStream<PlayerEvent>.Continuation

    init(first: TrackSource, continuation: AsyncStream<PlayerEvent>.Continuation) {
        self.continuation = continuation
        state.withLock { $0.records.append(Record(source: first)) }
    }

    // MARK: Player

    /// Sets (or with nil clears) the track to follow the one playing now, dropping any later
    /// ones. Returns false when the decoder has already begun the track after the one playing.
    @discardableResult
    func setNext(_ source: TrackSource?) -> Bool {
        state.withLock { state in
            let playing = state.playing ?? 0
            guard state.decoderAt <= playing, !state.closed else { return false }
            for index in state.records.indices where index > playing { state.records[index].removed = true }
            if let source { state.records.append(Record(source: source)) }
            return true
        }
    }

    /// Appends a track after every one known.
    func enqueue(_ source: TrackSource) -> Bool {
        state.withLock { state in
            guard !state.closed else { return false }
            state.records.append(Record(source: source))
            return true
        }
    }

    /// Whether a track after `ordinal` is known.
    func hasTrack(after ordinal: Int) -> Bool {
        state.withLock { state in state.records.indices.contains { $0 > ordinal && !state.records[$0].removed } }
    }

    /// The track whose frames the listener hears now (or the first, before any was sent).
    var playingOrdinal: UInt32 { state.withLock { UInt32($0.playing ?? 0) } }
    var playingSource: String? {
        state.withLock { state in
            state.records.indices.contains(state.playing ?? 0) ? state.records[state.playing ?? 0].source.location : nil
        }
    }
    var playingDurationMs: Int64? {
        state.withLock { state -> Int64? in
            let index = state.playing ?? 0
            guard state.records.indices.contains(index), state.records[index].durationMs >= 0 else { return nil }
            return state.records[index].durationMs
        }
    }

    /// The track playing ends early for `reason` (stop, replaced).
    func end(_ reason: FinishReason) { state.withLock { if $0.endReason == nil { $0.endReason = reason } } }

    // MARK: Decoder

    /// The next track for the decoder after `ordinal`, marked as begun.
    func track(after ordinal: Int) -> (ordinal: UInt32, source: TrackSource)? {
        state.withLock { state in
            var index = ordinal + 1
            while index < state.records.count, state.records[index].removed { index += 1 }
            guard index < state.records.count else {
                state.closed = true
                return nil
            }
            state.decoderAt = max(state.decoderAt, index)
            return (UInt32(index), state.records[index].source)
        }
    }

    /// The decoder goes back to a track (a seek into it after it had finished decoding), so
    /// the stream is open to a next track again.
    func reopen() { state.withLock { $0.closed = false } }

    func source(of ordinal: UInt32) -> TrackSource { state.withLock { $0.records[Int(ordinal)].source } }
    func setSource(_ source: TrackSource, of ordinal: UInt32) { state.withLock { $0.records[Int(ordinal)].source = source } }
    func setDuration(_ milliseconds: Int64, of ordinal: UInt32) {
        state.withLock { $0.records[Int(ordinal)].durationMs = milliseconds }
    }
    func fail(_ ordinal: UInt32, _ error: EngineError) {
        state.withLock { if $0.records[Int(ordinal)].error == nil { $0.records[Int(ordinal)].error = error } }
    }

    // MARK: Pacer

    /// The first frame of track `ordinal` reached the sink: every track before it is over.
    func entered(_ ordinal: UInt32, framesSent: Int, previousEndMs: Int64) {
        let events = state.withLock { state -> [PlayerEvent] in
            var events: [PlayerEvent] = []
            let target = Int(ordinal)
            if let playing = state.playing, state.records.indices.contains(playing), playing != target {
                state.records[playing].endFrame = framesSent
                state.records[playing].playedMs = previousEndMs
            }
            for index in 0..<min(target, state.records.count)
            where !state.records[index].reported
                && !state.records[index].removed
            {
                events += Self.closing(&state.records[index], reason: .endOfTrack)
            }
            if state.records.indices.contains(target), !state.records[target].started {
                state.records[target].started = true
                state.records[target].firstFrame = framesSent
                events.append(.started(source: state.records[target].source.location))
            }
            state.playing = target
            return events
        }
        for event in events { continuation.yield(event) }
    }

    /// The stream ended (queue done, stopped, replaced, or failed): reports what is left.
    func ended(framesSent: Int, endMs: Int64) {
        let events = state.withLock { state -> [PlayerEvent] in
            var events: [PlayerEvent] = []
            let playing = state.playing ?? 0
            if state.records.indices.contains(playing), state.records[playing].started {
                state.records[playing].endFrame = framesSent
                state.records[playing].playedMs = endMs
            }
            for index in state.records.indices where !state.records[index].reported && !state.records[index].removed {
                if index < playing || index == playing {
                    events += Self.closing(&state.records[index], reason: index == playing ? state.endReason ?? .endOfTrack : .endOfTrack)
                } else if state.records[index].error != nil, state.endReason == nil {
                    events += Self.closing(&state.records[index], reason: .endOfTrack)
                }
            }
            return events
        }
        for event in events { continuation.yield(event) }
    }

    /// Frames sent and ms played of track `ordinal`, once it has finished.
    func figures(_ ordinal: Int) -> (framesSent: Int, playedMs: Int64)? {
        state.withLock { state in
            guard state.records.indices.contains(ordinal) else { return nil }
            let record = state.records[ordinal]
            guard record.firstFrame >= 0, record.endFrame >= record.firstFrame else { return nil }
            return (record.endFrame - record.firstFrame, record.playedMs)
        }
    }

    func stuck() {
        if let source = playingSource { continuation.yield(.stuck(source: source)) }
    }

    private static func closing(_ record: inout Record, reason: FinishReason) -> [PlayerEvent] {
        record.reported = true
        if reason == .endOfTrack, let error = record.error { return [.failed(source: record.source.location, error: error)] }
        return [.finished(source: record.source.location, reason: reason)]
    }
}
