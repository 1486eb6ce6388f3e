import CadenceTestSupport
import Foundation
import Synchronization

/// The built `cadence node` executable, as an operator runs it: Spring-style environment,
/// password `pw`, a fixed port so a restart comes back where clients expect it.
final class NodeProcess: Sendable {
    struct Failure: Error, CustomStringConvertible { let description: String }

    let port: Int
    private let process: Process
    private final class Output: Sendable {
        let data = Mutex(Data())
    }

    private let output = Output()

    init(port: Int, environment extra: [String: String]) throws {
        self.port = port
        process = Process()
        process.executableURL = Tools.cadenceExecutable
        process.arguments = ["node"]
        var environment = ProcessInfo.processInfo.environment
        environment["SERVER_PORT"] = "\(port)"
        environment["LAVALINK_SERVER_PASSWORD"] = NodeHarness.password
        environment["CADENCE_ALLOW_PRIVATE_NETWORK"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let output = output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            output.data.withLock { $0.append(chunk) }
        }
        try process.run()
    }

    var log: String { output.data.withLock { String(decoding: $0.suffix(4000), as: UTF8.self) } }
    var isRunning: Bool { process.isRunning }
    var exitStatus: Int32 { process.terminationStatus }

    /// SIGTERM, then waits up to 10 s for the exit.
    func terminate() async {
        process.terminate()
        for _ in 0..<200 where process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    /// A loopback port nobody listens on right now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Failure(description: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
