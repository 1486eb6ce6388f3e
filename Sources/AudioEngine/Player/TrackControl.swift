import AudioDSP
import Dispatch
import Synchronization

/// The knobs a player turns on its running stream, read by the decoder thread without locks.
///
/// A seek bumps `generation` before publishing its target, so every frame the decoder made
/// for the old position carries an older generation and the pacer drops it unseen. A
/// re-render request asks the decoder to make the frames the pacer has not sent yet again,
/// under the settings of now (see `Transcoder.rerender`, and for filters `Transcoder.refilter`).
/// Nothing here seeks the input on its own: a filter change is made from samples the decoder
/// already has, so a seek is only ever the player's, and lands where it was asked to.
final class TrackControl: Sendable {
    let cancelled = Atomic<Bool>(false)
    private let seekTarget = Atomic<Int64>(-1)
    /// The track (ordinal) the pending seek is for.
    private let seekTrack = Atomic<UInt32>(0)
    let generation = Atomic<UInt32>(0)
    /// Volume in thousandths: 1000 is 100 %, up to 10 000 (1000 %, Lavalink's range).
    let volumeMilli = Atomic<Int>(1000)
    /// The filters asked for, numbered: the decoder applies the newest version it has not seen.
    private let filterRequest: Mutex<(version: Int, settings: FilterSettings)>
    /// Loudness normalisation asked for (nil = off), numbered like the filters.
    private let normalizationRequest: Mutex<(version: Int, rule: LoudnessNormalization?)>
    /// Crossfade between queued tracks, ms (0 = gapless); read at each boundary.
    let crossfadeMs = Atomic<Int>(0)
    /// Bumped by every change that must be heard at once; the decoder handles the latest.
    private let rerenderRequests = Atomic<Int>(0)
    /// Decoder restarts after a fault (network drop, expired URL), over the whole stream.
    let recoveries = Atomic<Int>(0)
    /// Packets skipped as corrupt.
    let skippedPackets = Atomic<Int>(0)

    /// Ends a decoder's nap early: signalled by every request the decoder must act on.
    private let wake = DispatchSemaphore(value: 0)

    init(
        volume: Double, filters: FilterSettings = FilterSettings(), normalization: LoudnessNormalization? = nil,
        crossfadeMs: Int = 0
    ) {
        volumeMilli.store(Self.milli(volume), ordering: .relaxed)
        filterRequest = Mutex((0, filters))
        normalizationRequest = Mutex((0, normalization))
        self.crossfadeMs.store(crossfadeMs, ordering: .relaxed)
    }

    static let maxVolume = 10.0
    static func milli(_ volume: Double) -> Int { Int((min(maxVolume, max(0, volume)) * 1000).rounded()) }

    /// Player side: asks for a seek within track `ordinal` and returns the generation its
    /// frames will carry.
    func requestSeek(toMs target: Int64, track ordinal: UInt32 = 0) -> UInt32 {
        let next = generation.add(1, ordering: .acquiringAndReleasing).newValue
        seekTrack.store(ordinal, ordering: .relaxed)
        seekTarget.store(max(0, target), ordering: .releasing)
        wake.signal()
        return next
    }

    /// Decoder side: takes the pending seek, if any, with the generation to stamp frames with.
    func takeSeek() -> (targetMs: Int64, track: UInt32, generation: UInt32)? {
        let target = seekTarget.exchange(-1, ordering: .acquiringAndReleasing)
        guard target >= 0 else { return nil }
        return (target, seekTrack.load(ordering: .relaxed), generation.load(ordering: .acquiring))
    }

    /// Player side: a setting changed; frames not yet sent are to be rendered again.
    func requestRerender() {
        rerenderRequests.add(1, ordering: .releasing)
        wake.signal()
    }

    /// Player side: new (validated) filters, heard from the frames the pacer has not sent yet.
    func setFilters(_ settings: FilterSettings) {
        filterRequest.withLock { $0 = ($0.version + 1, settings) }
        requestRerender()
    }

    /// Decoder side: the filters asked for, if newer than `version`.
    func filters(newerThan version: Int) -> (version: Int, settings: FilterSettings)? {
        filterRequest.withLock { $0.version > version ? $0 : nil }
    }

    /// Player side: normalisation changed; heard from the frames the pacer has not sent yet.
    func setNormalization(_ rule: LoudnessNormalization?) {
        normalizationRequest.withLock { $0 = ($0.version + 1, rule) }
        requestRerender()
    }

    /// Decoder side: the normalisation asked for, if newer than `version`.
    func normalization(newerThan version: Int) -> (version: Int, rule: LoudnessNormalization?)? {
        normalizationRequest.withLock { $0.version > version ? $0 : nil }
    }

    /// Decoder side: the request count, to compare with the last one handled.
    var rerenderCount: Int { rerenderRequests.load(ordering: .acquiring) }

    /// The last request count whose re-render the decoder finished.
    let rerenderDone = Atomic<Int>(0)

    private let restartFlag = Atomic<Bool>(false)
    /// A skip with a crossfade set: the decoder fades the stream out over `Transcoder.fadeOutFrames`
    /// from the next frames the pacer takes, then ends it.
    let fadeOutRequested = Atomic<Bool>(false)

    /// Player side: fade out and end (the stream is being replaced).
    func requestFadeOut() {
        fadeOutRequested.store(true, ordering: .releasing)
        requestRerender()
    }

    /// Player side: abandon the current read and reopen at the position (after `stuck`).
    func requestRestart() {
        restartFlag.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Player side: the stream is over; the decoder stops at its next check.
    func cancel() {
        cancelled.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Player side: something the decoder waits for changed (a next track was set).
    func poke() { wake.signal() }

    /// Decoder side: waits up to `nanoseconds`, less if a request arrives.
    /// A stale wake-up only shortens a later nap; callers re-check what they wait for.
    func nap(nanoseconds: UInt64) {
        _ = wake.wait(timeout: .now() + .nanoseconds(Int(min(nanoseconds, 1_000_000_000))))
    }
    var restartRequested: Bool { restartFlag.load(ordering: .acquiring) }
    func takeRestart() -> Bool { restartFlag.exchange(false, ordering: .acquiringAndReleasing) }

    var seekPending: Bool { seekTarget.load(ordering: .acquiring) >= 0 }
    var isCancelled: Bool { cancelled.load(ordering: .acquiring) }
    var gain: Float { Float(volumeMilli.load(ordering: .relaxed)) / 1000 }
}
