import Foundation
import Synchronization

/// A wall clock the test moves by hand, for TTL decisions.
final class FakeWallClock: Sendable {
    private let date: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        date = Mutex(start)
    }

    var now: Date { date.withLock { $0 } }

    /// The closure form the store takes.
    var function: @Sendable () -> Date { { self.now } }

    func advance(by seconds: TimeInterval) {
        date.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
