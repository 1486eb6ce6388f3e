import CadenceTestSupport
import DAVEPeers
import Foundation
import Testing
import VoiceServerSim

/// One local voice server and the DAVE peers a test puts into its channel, torn down together
/// even when the test fails half-way.
final class DAVELab: @unchecked Sendable {
    /// Peers are required: skipped without the venv locally, failing under CI.
    static let peersAvailable = DAVEPeer.available

    /// The guild every member of a lab's call identifies with (`dave_peer.py` uses it too).
    static let guildID = "41771983423143937"

    let server: VoiceServerSim
    private(set) var peers: [DAVEPeer] = []
    private var nextUser: UInt64 = 200_000_000_000_000_001

    init(configure: (inout VoiceServerSim.Configuration) -> Void = { _ in }) async throws {
        var configuration = VoiceServerSim.Configuration()
        configuration.leaveGrace = 0.1
        configure(&configuration)
        server = VoiceServerSim(configuration: configuration)
        try await server.start()
    }

    /// Starts a peer with a fresh user id and waits until it has sent its key package.
    func join(_ implementation: DAVEPeer.Implementation, holdCommits: Bool = false, neverReady: Bool = false)
        async throws -> DAVEPeer
    {
        let peer = try DAVEPeer(
            implementation, userID: "\(nextUser)", server: server, holdCommits: holdCommits,
            neverReady: neverReady)
        nextUser += 1
        peers.append(peer)
        try await peer.waitFor("key_package")
        return peer
    }

    /// Waits until the server's group has exactly `members` and no transition is open, i.e.
    /// everyone acknowledged (op 23) and got op 22.
    func settle(members: [DAVEPeer], including others: String..., timeout: Double = 20) async -> Bool {
        let wanted = Set(members.map(\.userID) + others)
        return await server.waitUntil(timeout: timeout) { report in
            Set(report.dave.roster.compactMap { $0 }) == wanted && report.dave.openTransitions == 0
                && report.dave.waiting.isEmpty
        }
    }

    /// The privacy codes every peer shows now.
    func privacyCodes(_ members: [DAVEPeer]) async throws -> [String?] {
        var codes: [String?] = []
        for peer in members { codes.append(try await peer.privacyCode()) }
        return codes
    }

    /// Each sender encrypts a few frames; every other member must recover them exactly.
    func expectMediaFlows(among members: [DAVEPeer], sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for sender in members {
            let frames = (0..<5).map { index in [0xFC] + (0..<(40 + index)).map { _ in UInt8.random(in: 0...255) } }
            let sealed = try await sender.encrypt(frames)
            #expect(
                sealed.allSatisfy { $0?.suffix(2) == [0xFA, 0xFA] }, "\(sender.name) did not E2EE-encrypt",
                sourceLocation: sourceLocation)
            for receiver in members where receiver !== sender {
                let opened = try await receiver.decrypt(sealed.compactMap { $0 }, from: sender.userID)
                #expect(
                    opened == frames.map { Optional($0) }, "\(receiver.name) could not decrypt \(sender.name)",
                    sourceLocation: sourceLocation)
            }
        }
    }

    func close() async {
        for peer in peers { await peer.quit() }
        await server.shutdown()
    }

    /// Runs `body` with a fresh lab and always cleans up.
    static func run(
        configure: (inout VoiceServerSim.Configuration) -> Void = { _ in },
        _ body: (DAVELab) async throws -> Void
    ) async throws {
        let lab = try await DAVELab(configure: configure)
        do {
            try await body(lab)
        } catch {
            await lab.close()
            throw error
        }
        await lab.close()
    }
}
