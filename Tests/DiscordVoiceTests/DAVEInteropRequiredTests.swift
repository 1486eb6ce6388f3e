import CadenceTestSupport
import DAVEPeers
import Foundation
import Testing
import VoiceServerSim

/// Since March 2026 Discord closes E2EE-eligible calls to clients without DAVE with 4017. With
/// `requireDAVE` the local server does the same: a v0 client (a peer told to offer 0) is closed,
/// Cadence (offering 1) connects and streams.
@Suite struct DAVEInteropRequiredTests {
    @Test(DAVELab.peersAvailable)
    func aClientWithoutDAVEIsClosedWith4017AndCadenceStreams() async throws {
        try await DAVELab.run(configure: { $0.requireDAVE = true }) { lab in
            let refuser = try DAVEPeer(.davey, userID: "200000000000000099", server: lab.server, maxDAVE: 0)
            let closed = try await refuser.waitFor("closed")
            #expect(closed["code"] as? Int == 4017)
            await refuser.quit()

            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            try await cadence.playTone(seconds: 0.5)
            _ = await lab.server.waitUntil(timeout: 5) { $0.stream(of: cadence.userID)?.silenceFrames ?? 0 >= 5 }
            let report = lab.server.report(includeAudio: false)
            #expect(report.gateway.closeCodesSent == [4017])
            #expect(report.gateway.maxDAVEVersions == [0, 1])
            #expect(report.gateway.negotiatedDAVEVersions == [1])
            let stream = try #require(report.stream(of: cadence.userID))
            #expect(abs(stream.audioFrames - 25) <= 2)
            // Alone in the channel there is no group: DAVE passthrough, plain Opus.
            #expect(stream.plainFrames == stream.audioFrames && stream.e2eeFrames == 0)
            #expect(cadence.status.protocolVersion == 1)
            await cadence.shutdown()
        }
    }
}
