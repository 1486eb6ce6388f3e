import Foundation
import Synchronization

/// The one thread that keeps time for every playing track.
///
/// Every lane runs on one shared grid, tick k at origin + k × 20 ms on the pacer's clock: a
/// lane that joins (or resumes) starts at the next grid tick, so there is no drift, and one
/// wake-up (an absolute sleep plus a short spin, see `MonotonicClock`) serves every lane due
/// at that tick, in the order they joined, so each lane keeps a steady offset inside the tick.
///
/// Up to `lanesPerSlot` lanes share the tick itself. Beyond that, lanes go to the next of
/// `slotsPerTick` phases of the grid (1 ms apart), so that a hundred lanes are not sent
/// back to back by one wake-up: each send on loopback costs 10–50 µs, and the last of 100
/// would leave milliseconds after its slot. The thread then wakes at most `slotsPerTick`
/// times per 20 ms, however many lanes play.
/// A new lane waits in a hand-over list that the pacer thread only ever try-locks, so a
/// caller of `add` that is preempted while holding that lock (on a busy machine, for a whole
/// scheduler slice) delays the lane's start by a tick, never the pacer. The thread owns the
/// list of active lanes outright; a frame sent takes only its lane's uncontended statistics
/// lock.
public final class Pacer: @unchecked Sendable {
    public let clock: any PacerClock
    /// Lanes added since the thread last looked; the thread takes them with a try-lock.
    private let pending = Mutex<[PacerLane]>([])
    private let wakeUp = DispatchSemaphore(value: 0)
    private let running = Atomic<Bool>(true)
    private let idle = Atomic<Bool>(false)
    /// Tick 0 of the grid every lane's schedule sits on.
    let gridOrigin: UInt64
    static let slotsPerTick = 20
    static let lanesPerSlot = 5
    static let slotSpacing: UInt64 = 1_000_000

    /// Starts the pacer thread. `clock` defaults to the real monotonic clock.
    public init(clock: any PacerClock = MonotonicClock(), name: String = "cadence.pacer") {
        self.clock = clock
        gridOrigin = clock.now()
        // The thread holds the pacer until `shutdown` ends its loop: a pacer released right
        // after `shutdown` must not be read by a thread that has not yet seen the flag.
        let thread = Thread { [self] in
            // Thread.name does not reach the kernel on Linux; name it for top, perf and /proc.
            ThreadName.setCurrent(name)
            self.run()
        }
        thread.name = name
        thread.qualityOfService = .userInteractive
        thread.start()
    }

    /// Stops the thread after its current pass. Lanes still attached stop receiving ticks.
    public func shutdown() {
        running.store(false, ordering: .releasing)
        wakeUp.signal()
    }

    // No deinit work: the thread keeps the pacer alive until `shutdown`, which every owner calls.

    /// Adds a lane. The pacer thread gives it a phase of the grid (the first with room, else
    /// the least busy one) when it next wakes, and its first frame is due at that phase's next
    /// tick (within 20 ms).
    public func add(_ lane: PacerLane) {
        pending.withLock { $0.append(lane) }
        if idle.load(ordering: .acquiring) { wakeUp.signal() }
    }

    /// Pacer thread: moves newly added lanes into `active`, each onto a phase of the grid.
    /// Returns false when `add` held the hand-over lock, so the lanes wait for the next pass.
    private func adopt(into active: inout [PacerLane], now: UInt64) -> Bool {
        var taken: [PacerLane] = []
        guard pending.withLockIfAvailable({ swap(&$0, &taken) }) != nil else { return false }
        guard !taken.isEmpty else { return true }
        var load = [Int](repeating: 0, count: Self.slotsPerTick)
        for other in active { load[other.slot] += 1 }
        for lane in taken {
            let slot =
                load.firstIndex { $0 < Self.lanesPerSlot }
                ?? load.indices.min { load[$0] < load[$1] } ?? 0
            load[slot] += 1
            lane.slot = slot
            lane.gridOrigin = gridOrigin + UInt64(slot) * Self.slotSpacing
            lane.start(at: lane.nextGridTick(atOrAfter: now))
            active.append(lane)
        }
        return true
    }

    /// Wakes the thread early, e.g. after a paused lane was resumed.
    func poke() {
        if idle.load(ordering: .acquiring) { wakeUp.signal() }
    }

    /// Asks the kernel for a modest real-time priority (SCHED_FIFO 10), as audio servers do, so
    /// a busy machine delays a tick by microseconds rather than a scheduler slice. Without the
    /// privilege (no root or CAP_SYS_NICE) the thread simply stays at normal priority.
    /// `CADENCE_REALTIME=0` turns the attempt off.
    private static func raisePriority() {
        if getenv("CADENCE_REALTIME").map({ String(cString: $0) == "0" }) ?? false { return }
        var parameters = sched_param()
        parameters.sched_priority = 10
        _ = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
    }

    private func run() {
        // Only a pacer on real time keeps a deadline. An offline one (virtual time) runs as fast
        // as its decoders and does its sinks' work (file writing, encryption) on this thread:
        // at real-time priority a few of them took both cores from every normal thread, and a
        // real-time player beside them starved until its stall watchdog fired.
        if clock.isRealTime { Self.raisePriority() }
        var active: [PacerLane] = []
        while running.load(ordering: .acquiring) {
            active.removeAll { $0.isFinished }
            let now = clock.now()
            // Hand-over lock busy: look again in a millisecond rather than idling.
            var earliest: UInt64 = adopt(into: &active, now: now) ? .max : now + 1_000_000
            var waiting = false
            for lane in active {
                lane.service(now: now, clock: clock)
                waiting = waiting || lane.waitingForData
                if let deadline = lane.nextDeadline { earliest = min(earliest, deadline) }
            }
            if waiting {
                // Unpaced run waiting on a decoder: give it the core briefly.
                usleep(200)
            } else if earliest == .max {
                idle.store(true, ordering: .releasing)
                _ = wakeUp.wait(timeout: .now() + .milliseconds(50))
                idle.store(false, ordering: .releasing)
            } else if earliest > now {
                clock.sleep(until: earliest)
            }
        }
    }
}
