import AudioEngine
import CadenceTestSupport
import Foundation

/// Plays a source through the real engine on a virtual clock (no waiting) and collects the
/// frames and the events, the way `cadence play --fast` does.
struct OfflinePlayback {
    let sink: RecordingSink
    let pacer = Pacer(clock: VirtualClock())
    let player: Player

    /// The stall watchdog counts real seconds while these tests run on a virtual clock, and a
    /// loaded machine can take 10 s to decode what needs no time here: it is set far out (the
    /// stall suites test it with their own threshold).
    init(options: PlayerOptions = PlayerOptions(stuckThreshold: .seconds(300)), gateAfter: Int? = nil) {
        sink = RecordingSink(gateAfter: gateAfter)
        player = Player(sink: sink, pacer: pacer, options: options, unpaced: true)
    }

    /// Plays `source` to its end (or failure) and returns the events seen.
    func play(_ source: String, startMs: Int64 = 0, timeout: Duration = .seconds(60)) async throws -> [PlayerEvent] {
        player.play(source, startMs: startMs)
        return try await collectUntilEnd(timeout: timeout)
    }

    /// Collects events up to and including the track's `.finished` or `.failed`.
    func collectUntilEnd(timeout: Duration = .seconds(60)) async throws -> [PlayerEvent] {
        let player = player
        return try await withThrowingTaskGroup(of: [PlayerEvent].self) { group in
            group.addTask {
                var seen: [PlayerEvent] = []
                for await event in player.events {
                    seen.append(event)
                    switch event {
                    case .finished, .failed: return seen
                    default: continue
                    }
                }
                return seen
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw CancellationError()
            }
            let result = try await group.next()!
            group.cancelAll()
            return result
        }
    }

    func shutdown() { pacer.shutdown() }
}
