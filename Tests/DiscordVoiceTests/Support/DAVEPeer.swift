import CadenceTestSupport
import Foundation
import Synchronization
import VoiceServerSim

/// A Python DAVE member (davey or Discord's libdave through dave-py) in the local server's
/// channel, run by `Interop/dave_peer.py` and driven over JSON lines: the test reads its events
/// and tells it to commit, encrypt, decrypt or leave.
final class DAVEPeer: @unchecked Sendable {
    enum Implementation: String, CaseIterable, Sendable, CustomStringConvertible {
        case davey, libdave
        var description: String { rawValue }
    }

    enum Failure: Error, CustomStringConvertible {
        case timedOut(peer: String, waitingFor: String, stderr: String)
        case badReply(String)

        var description: String {
            switch self {
            case let .timedOut(peer, event, stderr): "\(peer) never reported \(event); stderr:\n\(stderr)"
            case let .badReply(why): "bad peer reply: \(why)"
            }
        }
    }

    static let script = SharedData.packageRoot.appendingPathComponent("Tests/DiscordVoiceTests/Interop/dave_peer.py")

    let userID: String
    let implementation: Implementation
    private let process = Process()
    private let input = Pipe()
    private let lines = Mutex<[String]>([])
    private let errors = Mutex<Data>(Data())

    var name: String { "\(implementation) \(userID)" }

    init(_ implementation: Implementation, userID: String, server: VoiceServerSim, holdCommits: Bool = false,
         maxDAVE: Int = 1, neverReady: Bool = false) throws
    {
        self.userID = userID
        self.implementation = implementation
        process.executableURL = Tools.venvPython
        process.arguments = [Self.script.path, "--port", "\(server.webSocketPort)", "--user-id", userID,
                             "--channel-id", "\(server.configuration.channelID)", "--impl", implementation.rawValue,
                             "--max-dave", "\(maxDAVE)"] + (holdCommits ? ["--hold-commits"] : [])
            + (neverReady ? ["--never-ready"] : [])
        let output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        let pending = Mutex<Data>(Data())
        output.fileHandleForReading.readabilityHandler = { [weak self] handle in
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
            if !complete.isEmpty { self?.lines.withLock { $0 += complete } }
        }
        error.fileHandleForReading.readabilityHandler = { [weak self] handle in
            let chunk = handle.availableData
            self?.errors.withLock { $0.append(chunk) }
        }
        try process.run()
    }

    /// Every event so far named `name`, oldest first.
    func events(_ name: String) -> [[String: Any]] {
        lines.withLock { $0 }.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["event"] as? String == name
            else { return nil }
            return object
        }
    }

    var stderr: String { errors.withLock { String(decoding: $0.suffix(4000), as: UTF8.self) } }

    /// Waits until the peer has reported `name` at least `count` times (matching `filter`)
    /// and returns the `count`-th such event.
    @discardableResult
    func waitFor(_ name: String, count: Int = 1, timeout: Double = 15,
                 where filter: @Sendable ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any]
    {
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let matching = events(name).filter(filter)
            if matching.count >= count { return matching[count - 1] }
            guard Date() < deadline else { throw Failure.timedOut(peer: self.name, waitingFor: name, stderr: stderr) }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    func send(_ command: [String: Any]) {
        guard process.isRunning, let data = try? JSONSerialization.data(withJSONObject: command) else { return }
        // A peer that already exited has closed its stdin: that is not the test's failure.
        try? input.fileHandleForWriting.write(contentsOf: data + Data([0x0A]))
    }

    /// Sends `command` and returns the next `reply` event it causes.
    func ask(_ command: [String: Any], reply: String, timeout: Double = 30) async throws -> [String: Any] {
        let before = events(reply).count
        send(command)
        return try await waitFor(reply, count: before + 1, timeout: timeout)
    }

    /// The voice privacy code the peer's implementation shows now.
    func privacyCode() async throws -> String? {
        try await ask(["cmd": "state"], reply: "state")["privacy_code"] as? String
    }

    /// DAVE-encrypts Opus frames as this member would send them.
    func encrypt(_ frames: [[UInt8]]) async throws -> [[UInt8]?] {
        try Self.frames(await ask(["cmd": "encrypt", "frames": frames.map(Self.hex)], reply: "encrypted"))
    }

    /// Decrypts frames `sender` encrypted; nil where the peer could not.
    func decrypt(_ frames: [[UInt8]], from sender: String) async throws -> [[UInt8]?] {
        try Self.frames(await ask(["cmd": "decrypt", "user_id": sender, "frames": frames.map(Self.hex)],
                                  reply: "decrypted", timeout: 120))
    }

    /// Closes its WebSocket (the server sees it leave) and waits for the process to end.
    func quit() async {
        guard process.isRunning else { return }
        send(["cmd": "quit"])
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        if process.isRunning { process.terminate() }
    }

    private static func frames(_ reply: [String: Any]) throws -> [[UInt8]?] {
        guard let frames = reply["frames"] as? [Any] else { throw Failure.badReply("no frames in \(reply)") }
        return frames.map { ($0 as? String).flatMap(bytes) }
    }

    static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    static func bytes(_ hex: String) -> [UInt8]? {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2, limitedBy: hex.endIndex) ?? hex.endIndex
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            result.append(byte)
            index = next
        }
        return result
    }
}
