import Foundation

/// Runs yt-dlp as a short-lived child for one resolution: at most `timeout`, at most
/// `maxOutputBytes` of output, killed when either is exceeded. It never streams media.
package struct OneShotResolver: Sendable {
    package var executable: String
    package var timeout: Double
    package var maxOutputBytes: Int

    package init(
        executable: String = ResolverConfiguration.defaultYTDLP, timeout: Double = 15,
        maxOutputBytes: Int = 16 << 20
    ) {
        self.executable = executable
        self.timeout = timeout
        self.maxOutputBytes = maxOutputBytes
    }

    package func resolve(_ input: String) async throws(ResolverError) -> ResolvedTrack {
        let output = try await run(YTDLPRequest.track(input), input: input)
        return try YTDLPOutput.track(from: output, input: input)
    }

    package func playlist(_ input: String, limit: Int) async throws(ResolverError) -> [PlaylistEntry] {
        let output = try await run(YTDLPRequest.playlist(input, limit: limit), input: input)
        return Array(try YTDLPOutput.playlist(from: output, input: input).prefix(limit))
    }

    /// The flat listing of a page (see `TrackResolver.page`).
    func listing(_ input: String, limit: Int) async throws(ResolverError) -> (title: String?, entries: [PlaylistEntry]?) {
        let output = try await run(YTDLPRequest.playlist(input, limit: limit), input: input)
        return try YTDLPOutput.listing(from: output, input: input)
    }

    func run(_ arguments: [String], input: String) async throws(ResolverError) -> Data {
        let result: Result<Data, ResolverError> = await withCheckedContinuation { continuation in
            // Blocking waits go on their own thread, never on the cooperative pool.
            let thread = Thread {
                continuation.resume(returning: runBlocking(arguments, input: input))
            }
            thread.start()
        }
        return try result.get()
    }

    private func runBlocking(_ arguments: [String], input: String) -> Result<Data, ResolverError> {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        do { try process.run() } catch { return .failure(.toolMissing("\(executable): \(error)")) }

        let collected = OutputCollector(limit: maxOutputBytes)
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            while case let chunk = out.fileHandleForReading.availableData, !chunk.isEmpty {
                if !collected.append(chunk) { process.terminate() }
            }
            group.leave()
        }
        let errors = OutputCollector(limit: 64 << 10)
        group.enter()
        DispatchQueue.global().async {
            while case let chunk = err.fileHandleForReading.availableData, !chunk.isEmpty { _ = errors.append(chunk) }
            group.leave()
        }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            usleep(200_000)
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            return .failure(.timedOut(input: input, seconds: timeout))
        }
        process.waitUntilExit()
        if collected.overflowed { return .failure(.outputTooLarge(input: input, bytes: maxOutputBytes)) }
        guard process.terminationStatus == 0 else {
            let lines = String(decoding: errors.data, as: UTF8.self).split(separator: "\n")
            let message =
                lines.last { $0.contains("ERROR") }.map(String.init) ?? lines.last.map(String.init) ?? "exit \(process.terminationStatus)"
            return .failure(.notFound(input: input, message: message))
        }
        return .success(collected.data)
    }
}

/// Collects a child's output up to a limit, thread-safely.
final class OutputCollector: @unchecked Sendable {
    private let lock = NSLock()
    private var buffer = Data()
    private(set) var overflowed = false
    let limit: Int

    init(limit: Int) { self.limit = limit }

    /// Returns false once the limit is exceeded.
    func append(_ chunk: Data) -> Bool {
        lock.withLock {
            if buffer.count + chunk.count > limit {
                overflowed = true
                return false
            }
            buffer.append(chunk)
            return true
        }
    }

    var data: Data { lock.withLock { buffer } }
}
