import Foundation

/// External programs the tests drive for real: ffmpeg makes fixtures, the venv's Python runs
/// interop peers (discord.py, davey, dave-py) and yt-dlp.
public enum Tools {
    /// `.venv/bin/python` in the package root, installed by scripts/bootstrap.
    public static var venvPython: URL { SharedData.packageRoot.appendingPathComponent(".venv/bin/python") }

    public static var hasVenv: Bool { FileManager.default.isExecutableFile(atPath: venvPython.path) }

    /// Runs a program to completion and returns its exit status and output.
    @discardableResult
    public static func run(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120) throws
        -> (status: Int32, stdout: Data, stderr: Data)
    {
        let process = Process()
        if executable.hasPrefix("/") {
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = arguments
        } else {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable] + arguments
        }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        nonisolated(unsafe) var outData = Data(), errData = Data()
        let group = DispatchGroup()
        DispatchQueue.global().async(group: group) { outData = out.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { errData = err.fileHandleForReading.readDataToEndOfFile() }
        if group.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            throw ToolError.timedOut(executable, arguments)
        }
        process.waitUntilExit()
        return (process.terminationStatus, outData, errData)
    }

    /// Runs ffmpeg quietly, throwing with its stderr on failure.
    public static func ffmpeg(_ arguments: [String]) async throws {
        let result = try await runOffPool("ffmpeg", ["-hide_banner", "-loglevel", "error", "-y"] + arguments)
        guard result.status == 0 else {
            throw ToolError.failed("ffmpeg", String(decoding: result.stderr, as: UTF8.self))
        }
    }

    /// `run`, waiting on a dispatch thread so the test's task never blocks the cooperative
    /// pool (on two cores, a few blocked tests would stall every other test's events).
    public static func runOffPool(_ executable: String, _ arguments: [String], timeout: TimeInterval = 120)
        async throws -> (status: Int32, stdout: Data, stderr: Data)
    {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(executable, arguments, timeout: timeout) })
            }
        }
    }

    /// Runs blocking work on a thread of its own and awaits its result.
    public static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try work() }) }
            thread.start()
        }
    }

    /// A fresh temporary directory for one test's files.
    public static func temporaryDirectory(_ name: String = "cadence") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

public enum ToolError: Error, CustomStringConvertible {
    case timedOut(String, [String])
    case failed(String, String)

    public var description: String {
        switch self {
        case let .timedOut(tool, args): "\(tool) \(args.joined(separator: " ")) timed out"
        case let .failed(tool, stderr): "\(tool) failed: \(stderr)"
        }
    }
}

extension Tools {
    /// The `cadence` executable built next to the test bundle (`swift build --build-tests`
    /// builds it too).
    public static var cadenceExecutable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("cadence")
    }
}
