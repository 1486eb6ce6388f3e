import Foundation
import Store

/// When the bot purges its store while running: every `interval` of `clock`, with `wallTime` as
/// the calendar date the expiry rules compare against. Injected so a test can move a manual
/// clock an hour and see the service's purge run; `onPurge` reports each run (the service also logs failures).
package struct MaintenanceSchedule: Sendable {
    package var clock: any Clock<Duration>
    package var interval: Duration
    package var wallTime: WallTime
    package var onPurge: @Sendable (Result<StoreMaintenance.Report, StoreError>) -> Void

    package init(
        clock: any Clock<Duration> = ContinuousClock(), interval: Duration = .seconds(3600),
        wallTime: WallTime = .system,
        onPurge: @escaping @Sendable (Result<StoreMaintenance.Report, StoreError>) -> Void = { _ in }
    ) {
        self.clock = clock
        self.interval = interval
        self.wallTime = wallTime
        self.onPurge = onPurge
    }

    /// Hourly on the real clocks.
    package static let hourly = MaintenanceSchedule()
}
