import Foundation

/// Where the resolver finds its tools: `CADENCE_YTDLP` and `CADENCE_PYTHON`, else the
/// project's `.venv` that `scripts/bootstrap` creates, else the PATH.
package enum ResolverConfiguration {
    package static var defaultYTDLP: String {
        if let path = ProcessInfo.processInfo.environment["CADENCE_YTDLP"], !path.isEmpty { return path }
        return venvTool("yt-dlp") ?? "/usr/bin/yt-dlp"
    }

    package static var defaultPython: String {
        if let path = ProcessInfo.processInfo.environment["CADENCE_PYTHON"], !path.isEmpty { return path }
        return venvTool("python") ?? "/usr/bin/python3"
    }

    /// The resolver worker script shipped in `scripts/`.
    package static var workerScript: String {
        if let path = ProcessInfo.processInfo.environment["CADENCE_RESOLVER_WORKER"], !path.isEmpty { return path }
        return packageRoot.appendingPathComponent("scripts/resolver_worker.py").path
    }

    static var packageRoot: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private static func venvTool(_ name: String) -> String? {
        let candidates = [
            FileManager.default.currentDirectoryPath + "/.venv/bin/\(name)",
            packageRoot.appendingPathComponent(".venv/bin/\(name)").path
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}
