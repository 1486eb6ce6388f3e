import CadenceTestSupport
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `cadence node` as users run it: the built executable, configured by Lavalink's Spring-style
/// environment names, on a free loopback port with password `pw`.
final class NodeProcess: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    let password = "pw"
    private let process: Process
    private let output = Locked(Data())

    init(environment extra: [String: String] = [:]) throws {
        port = try Self.freePort()
        process = Process()
        process.executableURL = Tools.cadenceExecutable
        process.arguments = ["node"]
        var environment = ProcessInfo.processInfo.environment
        environment["SERVER_PORT"] = "\(port)"
        environment["LAVALINK_SERVER_PASSWORD"] = password
        // The media server is on loopback, which the node refuses unless told this is a test.
        environment["CADENCE_ALLOW_PRIVATE_NETWORK"] = "1"
        environment.merge(extra) { $1 }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        pipe.fileHandleForReading.readabilityHandler = { [output] handle in
            let chunk = handle.availableData
            output.withLock { $0.append(chunk) }
        }
        try process.run()
    }

    /// What the node printed, last 6 kB.
    var log: String { output.withLock { String(decoding: $0.suffix(6000), as: UTF8.self) } }

    /// Waits until `GET /version` answers 200, the way an operator checks a node is up.
    func waitUntilServing(timeout: Double = 20) async throws -> String {
        let deadline = Date().addingTimeInterval(timeout)
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/version")!)
        request.setValue(password, forHTTPHeaderField: "Authorization")
        while Date() < deadline {
            guard process.isRunning else { throw Failure(description: "cadence node exited: \(log)") }
            if let (data, response) = try? await URLSession.shared.data(for: request),
                (response as? HTTPURLResponse)?.statusCode == 200
            {
                return String(decoding: data, as: UTF8.self)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "cadence node did not serve /version within \(timeout) s: \(log)")
    }

    /// SIGTERM, then SIGKILL if it has not gone after 5 s.
    func stop() async {
        guard process.isRunning else { return }
        process.terminate()
        for _ in 0..<50 where process.isRunning { try? await Task.sleep(for: .milliseconds(100)) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
