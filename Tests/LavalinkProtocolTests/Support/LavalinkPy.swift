import CadenceTestSupport
import Foundation

/// lavalink.py 5.11.1's `decode_track`/`encode_track`, run by `lavalink_codec.py` in the venv.
enum LavalinkPy {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    static let script = SharedData.packageRoot.appendingPathComponent("Tests/LavalinkProtocolTests/lavalink_codec.py")

    static var isInstalled: Bool {
        Tools.hasVenv
            && FileManager.default.fileExists(
                atPath: SharedData.packageRoot.appendingPathComponent(".venv").path)
    }

    /// One run: lavalink.py decodes `decode` and encodes `encode`; results in the same order.
    static func run(decode: [String] = [], encode: [[String: Any]] = []) throws
        -> (decoded: [[String: Any]], encoded: [Any])
    {
        let process = Process()
        process.executableURL = Tools.venvPython
        process.arguments = [script.path]
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let request = try JSONSerialization.data(withJSONObject: ["decode": decode, "encode": encode])
        try input.fileHandleForWriting.write(contentsOf: request)
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let reply = try JSONSerialization.jsonObject(with: data) as? [String: Any],
            let decoded = reply["decoded"] as? [[String: Any]], let encoded = reply["encoded"] as? [Any]
        else { throw Failure(description: "lavalink_codec.py failed (\(process.terminationStatus)): \(stderr)") }
        return (decoded, encoded)
    }
}
