import Dispatch
import Foundation
import Logging
import Synchronization

/// Writes `PipelineMetricRecord` rows in batches, off the audio path.
///
/// `record` only appends to an in-memory buffer under a lock (no I/O, no await), so the
/// playback code can call it at track end. Batches go to SQLite on a serial queue of their
/// own when `batchSize` rows are pending, every `flushInterval`, on `flush()` and on `close()`.
/// A batch that fails to write is dropped and counted, so a broken disk cannot grow memory.
public final class MetricsWriter: Sendable {
    private struct State {
        var pending: [PipelineMetricRecord] = []
        var drainScheduled = false
        var written = 0
        var dropped = 0
    }

    private let repository: PipelineMetricRepository
    private let batchSize: Int
    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "cadence.store.metrics")
    private let timer = Mutex<Task<Void, Never>?>(nil)
    private let logger: Logger

    public init(
        database: AppDatabase, batchSize: Int = 256, flushInterval: Duration = .seconds(2),
        logger: Logger = Logger(label: "cadence.store.metrics")
    ) {
        repository = PipelineMetricRepository(database: database)
        self.batchSize = max(1, batchSize)
        self.logger = logger
        let task = Task { [weak self] in
            while !Task.isCancelled {
                try? await Task.sleep(for: flushInterval)
                self?.scheduleDrain()
            }
        }
        timer.withLock { $0 = task }
    }

    deinit {
        timer.withLock { $0?.cancel() }
    }

    /// Queues one row. Never blocks on the database.
    public func record(_ metric: PipelineMetricRecord) {
        let schedule = state.withLock { state -> Bool in
            state.pending.append(metric)
            guard state.pending.count >= batchSize, !state.drainScheduled else { return false }
            state.drainScheduled = true
            return true
        }
        if schedule { queue.async { self.drain() } }
    }

    /// Writes everything recorded so far; returns once it is committed.
    public func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async {
                self.drain()
                continuation.resume()
            }
        }
    }

    /// Stops the timer and writes what is pending.
    public func close() async {
        timer.withLock { $0?.cancel() }
        await flush()
    }

    /// Rows committed and rows dropped after a failed write, so far.
    package var counts: (written: Int, dropped: Int) {
        state.withLock { ($0.written, $0.dropped) }
    }

    private func scheduleDrain() {
        let schedule = state.withLock { state -> Bool in
            guard !state.pending.isEmpty, !state.drainScheduled else { return false }
            state.drainScheduled = true
            return true
        }
        if schedule { queue.async { self.drain() } }
    }

    /// Runs on `queue` only, so batches commit in the order they were taken.
    private func drain() {
        let batch = state.withLock { state -> [PipelineMetricRecord] in
            state.drainScheduled = false
            defer { state.pending.removeAll(keepingCapacity: true) }
            return state.pending
        }
        guard !batch.isEmpty else { return }
        do {
            try repository.insert(batch: batch)
            state.withLock { $0.written += batch.count }
        } catch {
            state.withLock { $0.dropped += batch.count }
            logger.warning("dropped \(batch.count) metric rows: \(error)")
        }
    }
}
