import AudioDSP
import Synchronization

/// One continuous stream of a player: one ring, one pacer lane, one decoder thread with one
/// transcoder (so one Opus encoder), from `play` until the queue runs out, a stop, or another
/// `play` replaces it. Tracks set with `Player.setNext` follow on it without a gap.
final class PlaybackSession: Sendable {
    let control: TrackControl
    let ring: FrameRing
    let lane: PacerLane
    let ledger: TrackLedger
    /// Watches for a stall while the stream plays; set by the player once it starts.
    let watchdog = WatchdogSlot()

    init(
        first: TrackSource, options: PlayerOptions, volume: Double, filters: FilterSettings,
        normalization: LoudnessNormalization?, crossfadeMs: Int, sink: any FrameSink,
        waitsForData: Bool, deviationLogCapacity: Int, continuation: AsyncStream<PlayerEvent>.Continuation
    ) {
        control = TrackControl(volume: volume, filters: filters, normalization: normalization, crossfadeMs: crossfadeMs)
        ring = FrameRing(capacity: options.ringCapacity)
        let ledger = TrackLedger(first: first, continuation: continuation)
        self.ledger = ledger
        let watchdog = watchdog
        let laneBox = LaneBox()
        lane = PacerLane(
            ring: ring, sink: sink, waitsForData: waitsForData,
            deviationLogCapacity: deviationLogCapacity
        ) { event in
            let sent = laneBox.lane?.statistics.withLock { $0.sent } ?? 0
            switch event {
            case .firstFrame: break
            case let .track(ordinal, previousEndMs): ledger.entered(ordinal, framesSent: sent - 1, previousEndMs: previousEndMs)
            case .finished:
                watchdog.value.withLock { $0?.cancel() }
                ledger.ended(framesSent: sent, endMs: (laneBox.lane?.lastPosition.load(ordering: .acquiring) ?? -20) + 20)
            }
        }
        laneBox.lane = lane
    }

    /// Decoder side: the input is done; `paddingSamples` end the last frame.
    func producerExited(paddingSamples: Int) { lane.markProducerFinished(paddingSamples: paddingSamples) }

    /// Player side: a skip with a crossfade set. The stream fades out over about 250 ms from
    /// the next frames the listener gets and then ends as replaced; false when there is nothing
    /// to fade (paused, finished), and the caller ends it at once.
    func fadeOut() -> Bool {
        guard !lane.isFinished, !lane.pauseRequested.load(ordering: .acquiring),
            !lane.producerFinished.load(ordering: .acquiring)
        else { return false }
        ledger.end(.replaced)
        control.requestFadeOut()
        return true
    }

    /// Player side: ends the stream early for `reason`.
    func end(_ reason: FinishReason) {
        ledger.end(reason)
        control.cancel()
        lane.requestStop(immediately: reason == .replaced)
    }
}

/// Where a stream's stall watchdog lives once it runs; shared with the lane's callback.
final class WatchdogSlot: Sendable {
    let value = Mutex<StuckWatchdog?>(nil)
}

/// The lane as its own callback sees it, without the lane owning itself.
private final class LaneBox: @unchecked Sendable {
    weak var lane: PacerLane?
}
