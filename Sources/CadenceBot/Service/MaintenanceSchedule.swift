import Foundation
import Store

/// When the bot purges its store while running: every `interval` of `clock`, with `now` as the
/// wall time the expiry rules compare against. Injected so a test can move a fake clock an hour
/// and see the service's purge run; `onPurge` reports each run (the service also logs failures).
package struct MaintenanceSchedule: Sendable {
    package var clock: any Clock<Duration>
    package var interval: Duration
    package var now: @Sendable () -> Date
    package var onPurge: @Sendable (Result<StoreMaintenance.Report, StoreError>) -> Void

    package init(clock: any Clock<Duration> = ContinuousClock(), interval: Duration = .seconds(3600),
                now: @escaping @Sendable () -> Date = { Date() },
                onPurge: @escaping @Sendable (Result<StoreMaintenance.Report, StoreError>) -> Void = { _ in })
    {
        self.clock = clock
        self.interval = interval
        self.now = now
        self.onPurge = onPurge
    }

    /// Hourly on the real clocks.
    package static let hourly = MaintenanceSchedule()
}
