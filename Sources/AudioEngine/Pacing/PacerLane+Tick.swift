/// The work of one lane in one 20 ms tick. Runs on the pacer thread only.
extension PacerLane {
    static let framePeriod: UInt64 = 20_000_000
    /// A tick this late or later counts as deficit.
    static let deficitThreshold: UInt64 = 20_000_000
    /// Late by a whole period or more, a lane sends only the newest due slot and skips the
    /// older ones (deficit, the frames stay in the ring), so that with the next on-time slot
    /// at most 2 packets leave less than half a period apart.
    static let maxBurst = 1
    /// A track's first frame goes out once this many are buffered (or the input ended), so a
    /// decoder still starting up, among a hundred others, is not sent dry right after it.
    static let startFrames = 3

    /// The next instant this lane needs the pacer, or nil when it has nothing scheduled.
    var nextDeadline: UInt64? {
        switch phase {
        case .finished: nil
        case .paused:
            pauseRequested.load(ordering: .acquiring) && !stopRequested.load(ordering: .acquiring)
                ? nil : 0
        default: scheduleStart + tick * Self.framePeriod
        }
    }

    func start(at now: UInt64) {
        scheduleStart = now
        tick = 0
    }

    /// The first tick of the pacer's grid at or after `time`.
    func nextGridTick(atOrAfter time: UInt64) -> UInt64 {
        guard time > gridOrigin else { return gridOrigin }
        let elapsed = time - gridOrigin
        return gridOrigin + (elapsed + Self.framePeriod - 1) / Self.framePeriod * Self.framePeriod
    }

    /// Handles the tick of this lane that is due at `now`; older due ticks are skipped.
    func service(now: UInt64, clock: any PacerClock) {
        if phase == .finished { return }
        applyRequests(now: now)
        guard phase != .paused, phase != .finished else { return }

        var due = scheduleStart + tick * Self.framePeriod
        if now >= due + UInt64(Self.maxBurst) * Self.framePeriod {
            // Far behind (the machine stalled): skip the missed slots instead of bursting.
            let missed = (now - due) / Self.framePeriod - UInt64(Self.maxBurst - 1)
            tick += missed
            due = scheduleStart + tick * Self.framePeriod
            statistics.withLock { $0.deficit += Int(missed) }
        }
        var handled = 0
        waitingForData = false
        while due <= now, handled < Self.maxBurst, phase != .paused, phase != .finished {
            handleTick(due: due, clock: clock)
            if waitingForData { break }  // the tick is held, not consumed
            handled += 1
            tick += 1
            due = scheduleStart + tick * Self.framePeriod
        }
    }

    private func applyRequests(now: UInt64) {
        let stop = stopRequested.load(ordering: .acquiring)
        let pause = pauseRequested.load(ordering: .acquiring)
        if stop, stopImmediately.load(ordering: .acquiring) {
            finish()
            return
        }
        switch phase {
        case .playing where stop || pause:
            phase = speaking ? .silenceTail(remaining: 5, thenPause: !stop) : (stop ? .finished : .paused)
            if phase == .finished { finish() }
        case .silenceTail(let remaining, true) where stop:
            phase = .silenceTail(remaining: remaining, thenPause: false)
        case .paused where stop:
            finish()
        case .paused where !pause:
            // Re-base on resume so the frames waiting in the ring don't go out in a burst.
            phase = .playing
            start(at: nextGridTick(atOrAfter: now))
        default:
            break
        }
    }

    private func handleTick(due: UInt64, clock: any PacerClock) {
        let lateness = clock.now() &- due
        guard sink.isReady else {
            statistics.withLock {
                $0.nulled += 1
                if lateness >= Self.deficitThreshold { $0.deficit += 1 }
            }
            return
        }
        switch phase {
        case .playing:
            sendNextFrame(due: due, clock: clock)
        case let .silenceTail(remaining, thenPause):
            endAudio(thenPause: thenPause)
            send(opusSilenceFrame, due: due, clock: clock)
            if remaining > 1 {
                phase = .silenceTail(remaining: remaining - 1, thenPause: thenPause)
            } else {
                sink.setSpeaking(false)
                speaking = false
                if thenPause { phase = .paused } else { finish() }
            }
        case .paused, .finished:
            break
        }
        if lateness >= Self.deficitThreshold { statistics.withLock { $0.deficit += 1 } }
    }

    private func sendNextFrame(due: UInt64, clock: any PacerClock) {
        let generation = minimumGeneration.load(ordering: .acquiring)
        let holding = !started && ring.count < Self.startFrames && !producerFinished.load(ordering: .acquiring)
        if !holding, !speaking, ring.peekPosition(minimumGeneration: generation) != nil {
            // This tick only announces: op 5 goes out (from the connection's task) while the
            // lane waits one period, so the first packet, sent from this thread next tick,
            // never has to wait for the WebSocket and the sink never holds a packet.
            sink.setSpeaking(true)
            speaking = true
            return
        }
        var ordinal: UInt32 = 0
        let previous = lastPosition.load(ordering: .relaxed)
        let sent =
            !holding
            && ring.popFrame(minimumGeneration: generation) { frame, position, frameTrack in
                transmit(frame, due: due, clock: clock)
                lastPosition.store(position, ordering: .releasing)
                ordinal = frameTrack
            }
        if sent {
            if !started {
                started = true
                onEvent(.firstFrame)
            }
            if track != ordinal {
                track = ordinal
                onEvent(.track(ordinal, previousEndMs: previous + 20))
            }
            return
        }
        if producerFinished.load(ordering: .acquiring), ring.peekPosition(minimumGeneration: generation) == nil {
            if speaking {
                phase = .silenceTail(remaining: 5, thenPause: false)
                endAudio(thenPause: false)
                send(opusSilenceFrame, due: due, clock: clock)
                phase = .silenceTail(remaining: 4, thenPause: false)
            } else {
                finish()
            }
            return
        }
        if waitsForData {
            // Virtual time: hold this tick until the decoder catches up.
            waitingForData = true
            return
        }
        // Before the first frame the track is still loading: that is start-up latency, not
        // a frame the listener missed.
        if started { statistics.withLock { $0.nulled += 1 } }
    }

    /// Tells the sink, once, that the audio is over (a pause is not an end).
    private func endAudio(thenPause: Bool) {
        guard !thenPause, !audioEndReported else { return }
        audioEndReported = true
        let finished = producerFinished.load(ordering: .acquiring) && !stopRequested.load(ordering: .acquiring)
        // Stopped mid-stream, every sample sent is audio except the encoder's look-ahead.
        sink.audioEnded(paddingSamples: finished ? endPadding.load(ordering: .relaxed) : opusEncoderDelay)
    }

    private func send(_ bytes: [UInt8], due: UInt64, clock: any PacerClock) {
        bytes.withUnsafeBytes { transmit($0, due: due, clock: clock, silence: true) }
    }

    private func transmit(_ frame: UnsafeRawBufferPointer, due: UInt64, clock: any PacerClock, silence: Bool = false) {
        let deviation = clock.now() &- due
        if silence { sink.sendSilence(opus: frame) } else { sink.send(opus: frame) }
        statistics.withLock {
            $0.sent += 1
            $0.recordDeviation(deviation > (1 << 62) ? 0 : deviation)
        }
        if let log = deviationLog, deviationLogCount < log.count {
            log[deviationLogCount] = Int32(clamping: deviation / 1000)
            deviationLogCount += 1
        }
    }

    private func finish() {
        endAudio(thenPause: false)
        phase = .finished
        finishedFlag.store(true, ordering: .releasing)
        onEvent(.finished)
    }
}
