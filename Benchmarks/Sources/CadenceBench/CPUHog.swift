import AudioEngine
import Foundation
import Synchronization

/// Saturates one core with a busy loop, for the scenario that measures pacing under contention.
final class CPUHog: Sendable {
    private let running = Atomic<Bool>(true)

    init() {
        let thread = Thread { [self] in
            ThreadName.setCurrent(Self.threadName)  // Thread.name alone is not the kernel's name
            var x: UInt64 = 1
            while running.load(ordering: .relaxed) {
                for _ in 0..<10_000 { x = x &* 6364136223846793005 &+ 1442695040888963407 }
            }
            if x == 0 { print("") }  // keeps the loop from being optimised away
        }
        thread.name = Self.threadName
        thread.start()
    }

    /// The hog's thread name, so its CPU can be taken out of the scenario's bill.
    static let threadName = "bench.cpuhog"

    func stop() { running.store(false, ordering: .relaxed) }
}
