import AudioEngine
import Resolver
import Store

/// One guild's music: the queue, the track playing now and the settings people changed.
///
/// An actor per guild, so guilds never wait on each other and a failure in one (a bad URL, a
/// dropped voice connection) stays there: every command error is thrown as a
/// `PlayerCommandError`, which the router turns into an ephemeral reply.
///
/// Guarantees: a track that ends on its own is followed by the next one per the loop mode;
/// a track the bot replaced or stopped itself never advances the queue twice; the entry after
/// the current one is resolved in the background while the current one plays.
package actor GuildPlayer {
    package let guildID: String
    let resolver: TrackResolver
    /// Where measured loudness is kept by track identity; nil keeps none.
    let loudness: TrackLoudnessRepository?
    /// Time on the clock the player was given, for the idle and alone timers.
    let elapsed: Stopwatch
    /// How long the bot stays when nothing plays or nobody listens.
    package let idleLimit: Duration
    /// The engine of the attached voice connection.
    var engine: Player?
    package private(set) var channelID: String?
    var queue = TrackQueue()
    package internal(set) var current: QueueEntry?
    /// The stream location handed to the engine for `current`, to match its events.
    var currentSource: String?
    /// Whether the engine reported `current`'s first frame, and its natural end. Events name
    /// tracks by location, and the armed entry may be the same song (queued twice, or looping):
    /// these tell its events from the current one's.
    var currentStarted = false
    var currentEnded = false
    package internal(set) var isPaused = false
    package private(set) var volumePercent = 100
    /// The `/filter` preset, kept across tracks and voice connections.
    package internal(set) var filterPreset = FilterPreset.off
    /// `/crossfade` seconds (0 = gapless) and `/normalize`, kept across tracks and connections.
    package internal(set) var crossfadeSeconds = 0
    package internal(set) var normalizes = false
    var settingsRestoreClaimed = false
    var settingsChanged = false
    var idleSince: Duration?
    var aloneSince: Duration?
    var eventTask: Task<Void, Never>?
    var measurementTask: Task<Void, Never>?
    /// Identities of the tracks handed to the engine without a known loudness, by stream
    /// location (the key of the engine's measurements).
    var unmeasured: [String: String] = [:]
    /// Bumped whenever the current track changes, so a resolution that finishes late is dropped.
    var generation = 0
    /// Tracks handed to the engine and not yet reported finished, by stream location.
    var started: [String: QueueEntry] = [:]
    let trackEnded: (@Sendable (TrackReport) -> Void)?
    /// The entry handed to the engine to follow the current one gaplessly, and its stream.
    var armed: (entry: QueueEntry, source: String)?
    var armTask: Task<Void, Never>?

    /// - Parameters:
    ///   - loudness: with `/normalize on`, each track the engine measures is kept here, and a
    ///     track found here is normalised from its first sample.
    ///   - trackEnded: called with each track's figures when it ends, is stopped or fails (not
    ///     when another track replaced it: its figures are gone by then).
    package init(
        guildID: String, resolver: TrackResolver, loudness: TrackLoudnessRepository? = nil,
        clock: any Clock<Duration> = ContinuousClock(), idleLimit: Duration = .seconds(300),
        trackEnded: (@Sendable (TrackReport) -> Void)? = nil
    ) {
        self.trackEnded = trackEnded
        self.loudness = loudness
        self.guildID = guildID
        self.resolver = resolver
        elapsed = Stopwatch(clock)
        self.idleLimit = idleLimit
    }

    /// Whether a voice connection is attached.
    package var isConnected: Bool { engine != nil }

    /// Hands the player the engine of a fresh voice connection in `channelID`.
    /// Attaching the engine already attached (a move to another channel) only records the
    /// channel: its event stream has one consumer, which must not be replaced.
    package func attach(_ engine: Player, channelID: String) {
        if let attached = self.engine, attached === engine {
            self.channelID = channelID
            return
        }
        eventTask?.cancel()
        measurementTask?.cancel()
        unmeasured.removeAll()
        self.engine = engine
        self.channelID = channelID
        engine.volume = Double(volumePercent) / 100
        applyAudioSettings()
        idleSince = current == nil ? elapsed() : nil
        let events = engine.events
        eventTask = Task { [weak self] in
            for await event in events {
                guard let self else { return }
                await self.handle(event)
            }
        }
        measurementTask = keepMeasurements(of: engine)
    }

    /// The bot was moved to another channel of the guild (by someone else): listeners are
    /// counted there from now on.
    package func moved(to channelID: String) {
        guard engine != nil else { return }
        self.channelID = channelID
    }

    /// Stops everything and lets go of the voice connection; the queue is cleared.
    package func detach() {
        generation += 1
        eventTask?.cancel()
        eventTask = nil
        measurementTask?.cancel()
        measurementTask = nil
        unmeasured.removeAll()
        engine?.stop()
        engine = nil
        disarm()
        started.removeAll()
        channelID = nil
        queue.clear()
        current = nil
        currentSource = nil
        isPaused = false
    }

    /// The result of `/play`: where the track went.
    package struct Enqueued: Sendable, Equatable {
        package var entry: QueueEntry
        /// 0 when it started at once, else its 1-based place in the queue.
        package var position: Int
    }

    /// Resolves `input` (so a refused or unknown URL is reported at once) and plays it now if
    /// nothing is playing, else queues it.
    package func enqueue(_ input: String, requester: String) async throws(PlayerCommandError) -> Enqueued {
        let track: ResolvedTrack
        do { track = try await resolver.resolve(input) } catch { throw .refused(error.description) }
        return try await enqueue(track, input: input, requester: requester)
    }

    /// Plays or queues a track resolved already (the router resolves before joining voice, so a
    /// refused link never makes the bot join).
    package func enqueue(_ track: ResolvedTrack, input: String, requester: String) async throws(PlayerCommandError)
        -> Enqueued
    {
        let entry = QueueEntry(input: input, title: track.title, durationMs: track.durationMs, requester: requester)
        if current == nil {
            let known = await Self.storedLoudness(of: track, in: loudness)
            // Another /play may have started a track while the store answered.
            if current == nil {
                try start(entry, track: track, loudness: known)
                return Enqueued(entry: entry, position: 0)
            }
        }
        let position = queue.add(entry)
        if position == 1 { resolver.prefetch(input) }
        if position == 1 || queue.loop != .off { armNext() }
        return Enqueued(entry: entry, position: position)
    }

    package func pause() throws(PlayerCommandError) {
        guard current != nil, let engine else { throw .nothingPlaying }
        guard !isPaused else { throw .alreadyPaused }
        engine.pause()
        isPaused = true
    }

    package func resume() throws(PlayerCommandError) {
        guard current != nil, let engine else { throw .nothingPlaying }
        guard isPaused else { throw .notPaused }
        engine.resume()
        isPaused = false
    }

    /// Moves on to the next entry (a looping track does not repeat); returns the skipped one.
    @discardableResult
    package func skip() async throws(PlayerCommandError) -> QueueEntry {
        guard let skipped = current else { throw .nothingPlaying }
        await advance(after: skipped, skipped: true)
        return skipped
    }

    /// Clears the queue and stops the current track (the engine ends it with 5 silence frames).
    package func stop() throws(PlayerCommandError) {
        guard current != nil || !queue.isEmpty else { throw .nothingPlaying }
        generation += 1
        queue.clear()
        current = nil
        currentSource = nil
        disarm()
        isPaused = false
        engine?.stop()
        idleSince = elapsed()
    }

    /// Lavalink's range, the engine's too: 0–1000 % (100 is unity; above it may clip).
    package static let volumeRange = 0...1000

    /// Volume in percent, within `volumeRange`.
    package func setVolume(_ percent: Int) throws(PlayerCommandError) {
        guard Self.volumeRange.contains(percent) else { throw .volumeOutOfRange(percent) }
        volumePercent = percent
        engine?.volume = Double(percent) / 100
    }

    /// Seeks the current track to a time typed as `mm:ss`; returns the new position in ms.
    @discardableResult
    package func seek(to text: String) throws(PlayerCommandError) -> Int64 {
        let target = try TimeText.parse(text)
        guard current != nil, let engine else { throw .nothingPlaying }
        if let duration = engine.durationMs ?? current?.durationMs, target >= duration {
            throw .seekBeyondEnd(positionMs: target, durationMs: duration)
        }
        engine.seek(toMs: target)
        return target
    }

    package func setLoop(_ mode: LoopMode) {
        queue.loop = mode
        armNext()
    }
    package var loopMode: LoopMode { queue.loop }

    /// Shuffles the waiting tracks; returns how many there are.
    @discardableResult
    package func shuffle() throws(PlayerCommandError) -> Int {
        guard queue.count > 0 else { throw .queueEmpty }
        var generator = SystemRandomNumberGenerator()
        queue.shuffle(using: &generator)
        prefetchUpcoming()
        armNext()
        return queue.count
    }

    /// Removes the waiting track at 1-based `position`.
    package func remove(at position: Int) throws(PlayerCommandError) -> QueueEntry {
        let removed = try queue.remove(at: position)
        if position == 1 {
            prefetchUpcoming()
            armNext()
        }
        return removed
    }

    package func queuePage(_ number: Int) -> QueuePage { queue.page(number) }
    package var queuedEntries: [QueueEntry] { queue.entries }

    /// Figures of the track playing now, for /about and /metrics.
    package var currentStats: (stats: PacingStats?, recoveries: Int)? {
        guard let engine else { return nil }
        return (engine.stats, engine.recoveries)
    }
}

/// One finished track's figures, for the metrics store.
package struct TrackReport: Sendable {
    package var guildID: String
    package var entry: QueueEntry
    package var stats: PacingStats
    package var recoveries: Int
    /// How far it played, ms.
    package var playedMs: Int64
}
