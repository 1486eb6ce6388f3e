import CadenceTestSupport
import Foundation
import Synchronization
import Testing
import VoiceServerSim

/// A Python DAVE member (davey or Discord's libdave through dave-py) in a voice channel of the
/// local server, run by `Tests/DiscordVoiceTests/Interop/dave_peer.py` and driven over JSON lines:
/// the test reads its events and tells it to commit, encrypt, decrypt or leave.
///
/// Shared by every test target that puts an independent DAVE member into a call (voice, bot, CLI).
public final class DAVEPeer: @unchecked Sendable {
    public enum Implementation: String, CaseIterable, Sendable, CustomStringConvertible {
        case davey, libdave
        public var description: String { rawValue }
    }

    public enum Failure: Error, CustomStringConvertible {
        case timedOut(peer: String, waitingFor: String, stderr: String)
        case badReply(String)

        public var description: String {
            switch self {
            case let .timedOut(peer, event, stderr): "\(peer) never reported \(event); stderr:\n\(stderr)"
            case let .badReply(why): "bad peer reply: \(why)"
            }
        }
    }

    /// How long a peer may take to print its first line (start Python, import, connect).
    static let startupAllowance = 120.0

    static let script = SharedData.packageRoot.appendingPathComponent("Tests/DiscordVoiceTests/Interop/dave_peer.py")

    /// Peers are required: skipped without the venv locally, failing under CI.
    public static let available = ConditionTrait.enabled(
        if: Tools.hasVenv || SharedData.isCI, "needs .venv with davey 0.1.7 and dave-py 1.1.0 (scripts/bootstrap)")

    public let userID: String
    public let implementation: Implementation
    private let process = Process()
    private let input = Pipe()
    private let lines = Mutex<[String]>([])
    private let errors = Mutex<Data>(Data())

    public var name: String { "\(implementation) \(userID)" }

    /// Starts the peer as `userID` of `guildID`, in voice channel `channelID` (the server's
    /// configured channel when nil). The server is told the peer's voice state first, as
    /// Discord's voice servers learn it from the main gateway.
    public init(
        _ implementation: Implementation, userID: String, server: VoiceServerSim, holdCommits: Bool = false,
        maxDAVE: Int = 1, neverReady: Bool = false, guildID: String = "41771983423143937",
        channelID: UInt64? = nil
    ) throws {
        let channel = channelID ?? server.configuration.channelID
        server.setVoiceChannel(channel, forUser: userID, inGuild: guildID)
        self.userID = userID
        self.implementation = implementation
        process.executableURL = Tools.venvPython
        process.arguments =
            [
                Self.script.path, "--port", "\(server.webSocketPort)", "--user-id", userID,
                "--channel-id", "\(channel)", "--guild-id", guildID, "--impl", implementation.rawValue,
                "--max-dave", "\(maxDAVE)"
            ] + (holdCommits ? ["--hold-commits"] : [])
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
    public func events(_ name: String) -> [[String: Any]] {
        lines.withLock { $0 }.compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                object["event"] as? String == name
            else { return nil }
            return object
        }
    }

    /// The peer's last few events, for a failure message.
    public var recentEvents: String { lines.withLock { $0.suffix(12).joined(separator: "\n") } }

    public var stderr: String { errors.withLock { String(decoding: $0.suffix(4000), as: UTF8.self) } }

    /// Waits until the peer has reported `name` at least `count` times (matching `filter`)
    /// and returns the `count`-th such event.
    @discardableResult
    public func waitFor(
        _ name: String, count: Int = 1, timeout: Double = 15,
        where filter: @Sendable ([String: Any]) -> Bool = { _ in true }
    ) async throws -> [String: Any] {
        var deadline = Date().addingTimeInterval(timeout)
        // Until the peer prints anything it is still starting Python and importing its DAVE
        // library, which a loaded machine can stretch past any protocol timeout: that wait has
        // its own allowance, and `timeout` counts from the peer's first line.
        var started = !lines.withLock { $0.isEmpty }
        let startupDeadline = Date().addingTimeInterval(Self.startupAllowance)
        while true {
            let matching = events(name).filter(filter)
            if matching.count >= count { return matching[count - 1] }
            if !started, !lines.withLock({ $0.isEmpty }) {
                started = true
                deadline = Date().addingTimeInterval(timeout)
            }
            guard Date() < (started ? deadline : max(deadline, startupDeadline)) else {
                throw Failure.timedOut(peer: self.name, waitingFor: name, stderr: stderr + "\nlast events:\n" + recentEvents)
            }
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    public func send(_ command: [String: Any]) {
        guard process.isRunning, let data = try? JSONSerialization.data(withJSONObject: command) else { return }
        // A peer that already exited has closed its stdin: that is not the test's failure.
        try? input.fileHandleForWriting.write(contentsOf: data + Data([0x0A]))
    }

    /// Sends `command` and returns the next `reply` event it causes.
    public func ask(_ command: [String: Any], reply: String, timeout: Double = 30) async throws -> [String: Any] {
        let before = events(reply).count
        send(command)
        return try await waitFor(reply, count: before + 1, timeout: timeout)
    }

    /// The voice privacy code the peer's implementation shows now.
    public func privacyCode() async throws -> String? {
        try await ask(["cmd": "state"], reply: "state")["privacy_code"] as? String
    }

    /// DAVE-encrypts Opus frames as this member would send them.
    public func encrypt(_ frames: [[UInt8]]) async throws -> [[UInt8]?] {
        try Self.frames(await ask(["cmd": "encrypt", "frames": frames.map(Self.hex)], reply: "encrypted"))
    }

    /// Decrypts frames `sender` encrypted; nil where the peer could not.
    public func decrypt(_ frames: [[UInt8]], from sender: String) async throws -> [[UInt8]?] {
        try Self.frames(
            await ask(
                ["cmd": "decrypt", "user_id": sender, "frames": frames.map(Self.hex)],
                reply: "decrypted", timeout: 120))
    }

    /// Closes its WebSocket (the server sees it leave) and waits for the process to end.
    public func quit() async {
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

    public static func hex(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined() }

    public static func bytes(_ hex: String) -> [UInt8]? {
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
