import Foundation
import Synchronization

/// One long-lived Python process running yt-dlp as a library (scripts/resolver_worker.py),
/// spoken to in JSON lines. It saves yt-dlp's cold start on every resolution.
///
/// A worker that dies or stops answering is killed and started afresh on the next request;
/// the caller falls back to a one-shot yt-dlp run for the request that failed.
package final class ResolverWorker: Sendable {
    package let python: String
    package let script: String
    package let timeout: Double
    private let state = Mutex(State())

    struct State {
        var process: Process?
        var input: FileHandle?
        var nextID = 1
        var pending: [Int: CheckedContinuation<Data, any Error>] = [:]
        var starts = 0
    }

    struct WorkerFailure: Error, CustomStringConvertible { let description: String }

    package init(
        python: String = ResolverConfiguration.defaultPython,
        script: String = ResolverConfiguration.workerScript, timeout: Double = 15
    ) {
        self.python = python
        self.script = script
        self.timeout = timeout
    }

    deinit { state.withLock { $0.process?.terminate() } }

    /// How many times a worker process was started (1 while the first one lives).
    package var starts: Int { state.withLock { $0.starts } }

    /// Sends yt-dlp `arguments` to the worker and returns the `info` JSON it answered with.
    func request(_ arguments: [String]) async throws -> Data {
        let id = try state.withLock { state -> Int in
            if state.process?.isRunning != true { try start(&state) }
            defer { state.nextID += 1 }
            return state.nextID
        }
        let line = try JSONSerialization.data(withJSONObject: ["id": id, "args": arguments]) + Data("\n".utf8)
        let timeout = timeout
        let watchdog = Task { [weak self] in
            try await Task.sleep(for: .seconds(timeout))
            self?.fail(id: id, WorkerFailure(description: "worker timed out after \(Int(timeout)) s"), restart: true)
        }
        defer { watchdog.cancel() }
        return try await withCheckedThrowingContinuation { continuation in
            let handle = state.withLock { state -> FileHandle? in
                state.pending[id] = continuation
                return state.input
            }
            do {
                try handle?.write(contentsOf: line)
            } catch {
                fail(id: id, error, restart: true)
            }
        }
    }

    /// Stops the worker; pending requests fail.
    package func shutdown() {
        let process = state.withLock { state in
            defer {
                state.process = nil
                state.input = nil
            }
            return state.process
        }
        process?.terminate()
        failAll(WorkerFailure(description: "worker stopped"))
    }

    private func start(_ state: inout State) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["-u", script]
        let stdin = Pipe(), stdout = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = FileHandle.nullDevice
        process.terminationHandler = { [weak self] ended in self?.exited(ended) }
        try process.run()
        state.process = process
        state.input = stdin.fileHandleForWriting
        state.starts += 1
        let reader = Thread { [weak self] in self?.readAnswers(stdout.fileHandleForReading) }
        reader.name = "cadence.resolver-worker"
        reader.start()
    }

    private func readAnswers(_ handle: FileHandle) {
        var buffer = Data()
        while case let chunk = handle.availableData, !chunk.isEmpty {
            buffer.append(chunk)
            while let newline = buffer.firstIndex(of: 0x0A) {
                let line = buffer[buffer.startIndex..<newline]
                buffer = Data(buffer[buffer.index(after: newline)...])
                deliver(Data(line))
            }
        }
    }

    private func deliver(_ line: Data) {
        guard let object = (try? JSONSerialization.jsonObject(with: line)) as? [String: Any],
            let id = object["id"] as? Int
        else { return }
        let continuation = state.withLock { $0.pending.removeValue(forKey: id) }
        if object["ok"] as? Bool == true, let info = object["info"],
            let data = try? JSONSerialization.data(withJSONObject: info)
        {
            continuation?.resume(returning: data)
        } else {
            continuation?.resume(throwing: ResolverError.notFound(input: "", message: object["error"] as? String ?? "worker error"))
        }
    }

    private func fail(id: Int, _ error: any Error, restart: Bool) {
        let (continuation, process) = state.withLock { ($0.pending.removeValue(forKey: id), restart ? $0.process : nil) }
        continuation?.resume(throwing: error)
        process?.terminate()
    }

    private func exited(_ process: Process) {
        let current = state.withLock { state -> Bool in
            guard state.process === process else { return false }
            state.process = nil
            state.input = nil
            return true
        }
        if current { failAll(WorkerFailure(description: "worker exited")) }
    }

    private func failAll(_ error: any Error) {
        let pending = state.withLock { state in
            defer { state.pending = [:] }
            return state.pending
        }
        for continuation in pending.values { continuation.resume(throwing: error) }
    }
}
