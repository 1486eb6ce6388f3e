import Synchronization

/// Everything that exists for one track while it plays: its ring, its pacer lane, its decoder
/// and the controls between them. The session dies with the track; nothing is reused, so no
/// state leaks from one track into the next.
final class TrackSession: Sendable {
    let source: String
    let control: TrackControl
    let ring: FrameRing
    let lane: PacerLane
    /// Watches for a stall while the track plays; set by the player once the track starts.
    let watchdog = Mutex<StuckWatchdog?>(nil)
    private let outcome = Mutex<Outcome>(Outcome())

    struct Outcome {
        var error: EngineError?
        var endReason: FinishReason?
        var reported = false
    }

    init(source: String, options: PlayerOptions, sink: any FrameSink, waitsForData: Bool,
         deviationLogCapacity: Int, onEvent: @escaping @Sendable (TrackSession, PacerLane.Event) -> Void)
    {
        self.source = source
        control = TrackControl(volume: options.volume)
        ring = FrameRing(capacity: options.ringCapacity)
        let box = WeakSessionBox()
        lane = PacerLane(ring: ring, sink: sink, waitsForData: waitsForData,
                         deviationLogCapacity: deviationLogCapacity) { event in
            if let session = box.session.withLock({ $0.value }) { onEvent(session, event) }
        }
        box.session.withLock { $0.value = self }
    }

    /// Decoder side: the input is done, with or without an error.
    func producerExited(_ error: EngineError?) {
        if let error { outcome.withLock { if $0.error == nil { $0.error = error } } }
        lane.markProducerFinished()
    }

    /// Player side: ends the track early for `reason`.
    func end(_ reason: FinishReason) {
        outcome.withLock { if $0.endReason == nil { $0.endReason = reason } }
        control.cancel()
        lane.requestStop(immediately: reason == .replaced)
    }

    /// The event to report once the lane has finished, exactly once.
    func finalEvent() -> PlayerEvent? {
        outcome.withLock { state in
            guard !state.reported else { return nil }
            state.reported = true
            if let reason = state.endReason { return .finished(source: source, reason: reason) }
            if let error = state.error { return .failed(source: source, error: error) }
            return .finished(source: source, reason: .endOfTrack)
        }
    }
}

/// Breaks the session ↔ lane cycle: the lane's callback reaches the session without owning it.
private final class WeakSessionBox: Sendable {
    struct Reference { weak var value: TrackSession? }
    let session = Mutex(Reference())
}
