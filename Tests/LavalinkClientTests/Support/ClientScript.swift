import CadenceTestSupport
import Foundation
import Synchronization

/// One run of a client script in `Clients/` (lavalink.py or wavelink) with the venv's Python;
/// its stdout is one JSON object per line (`harness.py`).
final class ClientScript: Sendable {
    struct Line: @unchecked Sendable {
        let time: Double
        let kind: String
        let fields: [String: Any]

        subscript(key: String) -> Any? { fields[key] }
        var name: String? { fields["name"] as? String }
        /// A raw op the client received (`kind == "op"`).
        var op: [String: Any]? { fields["data"] as? [String: Any] }
    }

    static let folder = SharedData.packageRoot.appendingPathComponent("Tests/LavalinkClientTests/Clients")

    private let process = Process()
    private let lines = Locked<[String]>([])
    private let errors = Locked(Data())

    init(_ script: String, arguments: [String]) throws {
        process.executableURL = Tools.venvPython
        process.arguments = [Self.folder.appendingPathComponent(script).path] + arguments
        process.currentDirectoryURL = Self.folder
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONDONTWRITEBYTECODE"] = "1"  // no __pycache__ in the source tree
        process.environment = environment
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        process.standardInput = FileHandle.nullDevice
        let pending = Locked(Data())
        output.fileHandleForReading.readabilityHandler = { [lines] handle in
            let chunk = handle.availableData
            let complete = pending.withLock { buffer -> [String] in
                buffer.append(chunk)
                var found: [String] = []
                while let newline = buffer.firstIndex(of: 0x0A) {
                    found.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
                return found
            }
            if !complete.isEmpty { lines.withLock { $0 += complete } }
        }
        error.fileHandleForReading.readabilityHandler = { [errors] handle in
            let chunk = handle.availableData
            errors.withLock { $0.append(chunk) }
        }
        try process.run()
    }

    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }
    var stderr: String { errors.withLock { String(decoding: $0.suffix(6000), as: UTF8.self) } }

    var rawLines: [String] { lines.withLock { $0 } }

    var parsed: [Line] {
        lines.withLock { $0 }.compactMap { text in
            guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
                let time = object["t"] as? Double, let kind = object["kind"] as? String
            else { return nil }
            return Line(time: time, kind: kind, fields: object)
        }
    }

    func marks() -> [String: Double] {
        Dictionary(parsed.filter { $0.kind == "mark" }.compactMap { line in line.name.map { ($0, line.time) } }) { a, _ in a }
    }

    func terminate() {
        if process.isRunning { process.terminate() }
    }
}
