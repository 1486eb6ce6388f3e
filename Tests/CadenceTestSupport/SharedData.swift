import Foundation
import Testing

/// Where the read-only reference data in `../shared` lives at test time.
///
/// `CADENCE_SHARED` points elsewhere. When the folder is missing, tests that need it are
/// skipped with the reason, except under CI (`CI=true`), where they run and fail loudly.
public enum SharedData {
    /// The package root, found from this file's location.
    public static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `$CADENCE_SHARED`, else `../shared` beside the package root.
    public static var directory: URL {
        if let path = ProcessInfo.processInfo.environment["CADENCE_SHARED"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }

    public static var isPresent: Bool {
        FileManager.default.fileExists(atPath: directory.appendingPathComponent("mls-test-vectors").path)
    }

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// A trait for tests that read `../shared`: skipped with the reason when it is absent,
    /// except under CI, where the test runs and fails on the missing file.
    public static var required: ConditionTrait {
        .enabled(if: isPresent || isCI, "shared data not found at \(directory.path) (set CADENCE_SHARED)")
    }

    /// Reads a file under the shared directory, e.g. `file("mls-test-vectors/tree-math.json")`.
    public static func file(_ relativePath: String) throws -> Data {
        try Data(contentsOf: directory.appendingPathComponent(relativePath))
    }
}
