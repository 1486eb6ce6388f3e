import Dispatch
import Synchronization

/// The knobs a player turns on a running track, read by its decoder thread without locks.
///
/// A seek bumps `generation` before publishing its target, so every frame the decoder made
/// for the old position carries an older generation and the pacer drops it unseen.
final class TrackControl: Sendable {
    let cancelled = Atomic<Bool>(false)
    private let seekTarget = Atomic<Int64>(-1)
    let generation = Atomic<UInt32>(0)
    /// Volume in thousandths: 1000 is 100 %, up to 2000.
    let volumeMilli = Atomic<Int>(1000)
    /// Declared duration in ms, -1 while unknown.
    let durationMs = Atomic<Int64>(-1)
    /// Decoder restarts after a fault (network drop, expired URL).
    let recoveries = Atomic<Int>(0)
    /// Packets skipped as corrupt.
    let skippedPackets = Atomic<Int>(0)

    /// Ends a decoder's nap early: signalled by every request the decoder must act on.
    private let wake = DispatchSemaphore(value: 0)

    init(volume: Double) { volumeMilli.store(Self.milli(volume), ordering: .relaxed) }

    static func milli(_ volume: Double) -> Int { Int((min(2, max(0, volume)) * 1000).rounded()) }

    /// Player side: asks for a seek and returns the generation its frames will carry.
    func requestSeek(toMs target: Int64) -> UInt32 {
        let next = generation.add(1, ordering: .acquiringAndReleasing).newValue
        seekTarget.store(max(0, target), ordering: .releasing)
        wake.signal()
        return next
    }

    /// Decoder side: takes the pending seek, if any, with the generation to stamp frames with.
    func takeSeek() -> (targetMs: Int64, generation: UInt32)? {
        let target = seekTarget.exchange(-1, ordering: .acquiringAndReleasing)
        guard target >= 0 else { return nil }
        return (target, generation.load(ordering: .acquiring))
    }

    private let restartFlag = Atomic<Bool>(false)

    /// Player side: abandon the current read and reopen at the position (after `stuck`).
    func requestRestart() {
        restartFlag.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Player side: the track is over; the decoder stops at its next check.
    func cancel() {
        cancelled.store(true, ordering: .releasing)
        wake.signal()
    }

    /// Decoder side: waits up to `nanoseconds`, less if a seek, restart or stop arrives.
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
