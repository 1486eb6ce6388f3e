import AudioEngine
import Resolver

extension GuildPlayer {
    /// What /nowplaying shows.
    package struct NowPlaying: Sendable, Equatable {
        package var entry: QueueEntry
        package var positionMs: Int64
        package var durationMs: Int64?
        package var isPaused: Bool
        package var loop: LoopMode
        package var volumePercent: Int
    }

    package func nowPlaying() throws(PlayerCommandError) -> NowPlaying {
        guard let current else { throw .nothingPlaying }
        return NowPlaying(
            entry: current, positionMs: engine?.positionMs ?? 0,
            durationMs: engine?.durationMs ?? current.durationMs, isPaused: isPaused,
            loop: queue.loop, volumePercent: volumePercent)
    }

    /// Hands `entry` to the engine. The caller has resolved it already.
    func start(_ entry: QueueEntry, track: ResolvedTrack, loudness known: TrackLoudness?) throws(PlayerCommandError) {
        guard let engine else { throw .voiceUnavailable("not connected") }
        generation += 1
        current = entry
        currentSource = track.streamURL
        (currentStarted, currentEnded) = (false, false)
        isPaused = false
        idleSince = nil
        started[track.streamURL] = entry
        disarm()
        if known == nil { expectMeasurement(of: track) }
        engine.play(track.trackSource(refreshingWith: resolver, loudness: known), startMs: 0)
        prefetchUpcoming()
        armNext()
    }

    /// Plays whatever comes after `finished`, resolving entries until one works; entries that
    /// fail are dropped (they were checked when queued, so this is rare: an expired link).
    func advance(after finished: QueueEntry?, skipped: Bool) async {
        var previous = finished
        var wasSkipped = skipped
        while let next = queue.next(after: previous, skipped: wasSkipped) {
            generation += 1
            let mine = generation
            current = next
            currentSource = nil
            guard let track = try? await resolver.resolve(next.input) else {
                previous = nil
                wasSkipped = true
                continue
            }
            let known = await Self.storedLoudness(of: track, in: loudness)
            // Someone stopped, skipped or left while this resolved: their state wins.
            guard generation == mine, engine != nil else { return }
            do { try start(next, track: track, loudness: known) } catch { return }
            return
        }
        generation += 1
        current = nil
        currentSource = nil
        isPaused = false
        if skipped { engine?.stop() }
        idleSince = elapsed()
    }

    /// Reacts to the engine: only a natural end or a failure of the track we started moves on.
    func handle(_ event: PlayerEvent) async {
        report(event)
        switch event {
        case let .started(source):
            // The armed entry cannot start before the current one did.
            if let armed, armed.source == source, source != currentSource || currentStarted {
                adoptArmed()
            } else if source == currentSource {
                currentStarted = true
            }
        case let .finished(source, .endOfTrack):
            if source == currentSource { currentEnded = true }
            // With a next track armed, the engine moves on by itself, without a gap.
            guard source == currentSource, let finished = current, armed == nil else { return }
            await advance(after: finished, skipped: false)
        case let .failed(source, _):
            // Before the current entry ended, a failure of its location is its own.
            if let armed, armed.source == source, source != currentSource || currentEnded {
                // The armed track could not be played: it becomes current, and is moved past.
                adoptArmed()
            }
            guard source == currentSource, let finished = current else { return }
            disarm()
            await advance(after: finished, skipped: false)
        case .finished, .stuck:
            return
        }
    }

    /// What plays when the current entry ends on its own, per the loop mode.
    var upcomingAfterCurrent: QueueEntry? {
        guard let current else { return nil }
        var copy = queue
        return copy.next(after: current, skipped: false)
    }

    /// Resolves the entry that follows the current one and hands it to the engine, so it
    /// starts without a gap; anything armed before is replaced.
    func armNext() {
        armTask?.cancel()
        armed = nil
        guard let engine, current != nil else { return }
        let mine = generation
        guard let upcoming = upcomingAfterCurrent else {
            engine.setNext(nil)
            return
        }
        let resolver = resolver, repository = loudness
        armTask = Task { [weak self] in
            guard let track = try? await resolver.resolve(upcoming.input), !Task.isCancelled else { return }
            let known = await Self.storedLoudness(of: track, in: repository)
            await self?.finishArming(upcoming, track: track, loudness: known, generation: mine)
        }
    }

    private func finishArming(_ entry: QueueEntry, track: ResolvedTrack, loudness known: TrackLoudness?, generation mine: Int) {
        guard mine == generation, upcomingAfterCurrent == entry, let engine else { return }
        guard engine.setNext(track.trackSource(refreshingWith: resolver, loudness: known)) else { return }
        armed = (entry, track.streamURL)
        if known == nil { expectMeasurement(of: track) }
    }

    func disarm() {
        armTask?.cancel()
        armTask = nil
        armed = nil
    }

    /// The engine started the armed entry: the queue moves on as if it had been played here.
    private func adoptArmed() {
        guard let armed else { return }
        self.armed = nil
        let taken = queue.next(after: current, skipped: false)
        if let taken, taken != armed.entry { queue.putBack(taken) }
        generation += 1
        current = armed.entry
        currentSource = armed.source
        (currentStarted, currentEnded) = (true, false)
        isPaused = false
        idleSince = nil
        started[armed.source] = armed.entry
        prefetchUpcoming()
        armNext()
    }

    /// Hands a finished track's figures to `trackEnded` while the engine still holds them.
    func report(_ event: PlayerEvent) {
        let source: String, replaced: Bool
        switch event {
        case let .finished(location, reason): (source, replaced) = (location, reason == .replaced)
        case let .failed(location, _): (source, replaced) = (location, false)
        case .started, .stuck: return
        }
        guard let entry = started.removeValue(forKey: source), !replaced, let trackEnded,
            let engine, let stats = engine.stats
        else { return }
        trackEnded(
            TrackReport(
                guildID: guildID, entry: entry, stats: stats, recoveries: engine.recoveries,
                playedMs: (engine.positionMs ?? -20) + 20))
    }

    func prefetchUpcoming() {
        if let upcoming = queue.upcoming { resolver.prefetch(upcoming.input) }
    }

    // MARK: Auto-leave

    /// Why the bot should leave now, if it should.
    package enum LeaveReason: String, Sendable, Equatable {
        case idle
        case alone
    }

    /// Tells the player how many people (not bots) are in its voice channel.
    package func listenersChanged(count: Int) {
        if count == 0 {
            if aloneSince == nil { aloneSince = elapsed() }
        } else {
            aloneSince = nil
        }
    }

    /// `.alone` after `idleLimit` with nobody listening, `.idle` after `idleLimit` with nothing
    /// playing; nil while connected and in use, or not connected at all.
    package func leaveReason() -> LeaveReason? {
        guard engine != nil else { return nil }
        let now = elapsed()
        if let aloneSince, now - aloneSince >= idleLimit { return .alone }
        if current == nil, let idleSince, now - idleSince >= idleLimit { return .idle }
        return nil
    }
}
