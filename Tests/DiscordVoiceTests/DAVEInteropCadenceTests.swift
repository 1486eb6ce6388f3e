import CadenceTestSupport
import DAVEPeers
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

/// Cadence in a DAVE channel of the local server beside davey and Discord's libdave: the
/// issue's matrix ({davey, dave-py} × (a)–(f)), each peer an implementation nobody here wrote.
@Suite(.serialized) struct DAVEInteropCadenceTests {
    typealias Impl = DAVEPeer.Implementation

    static func other(_ implementation: Impl) -> Impl { implementation == .davey ? .libdave : .davey }

    /// Cadence alone first, then the peer: Cadence's commit adds the peer, who processes the
    /// Welcome (a); both show the same privacy code (e); the peer decrypts Cadence's audio (c).
    @Test(DAVELab.peersAvailable, arguments: Impl.allCases)
    func cadencesCommitAddsThePeer(_ implementation: Impl) async throws {
        try await DAVELab.run(configure: { $0.e2eeCaptureLimit = 200 }) { lab in
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            _ = await lab.server.waitUntil(timeout: 10) { $0.dave.keyPackagesReceived == 1 }
            let peer = try await lab.join(implementation, holdCommits: true)
            let welcome = try await peer.waitFor("welcome")
            #expect(welcome["ok"] as? Bool == true, "\(welcome)")
            #expect(await lab.settle(members: [peer], including: cadence.userID))
            #expect(lab.server.report(includeAudio: false).dave.commitAuthors == [cadence.userID])
            #expect(await cadence.waitUntilActive(epoch: 1))
            let code = try await peer.privacyCode()
            #expect(code != nil && cadence.status.privacyCode == code, "\(String(describing: code))")

            try await cadence.playTone(seconds: 1)
            try await Self.expectPeer(peer, decryptsAudioOf: cadence, on: lab.server)
            await cadence.shutdown()
        }
    }

    /// Two peers hold the group; the one under test commits and Cadence joins by its Welcome (b).
    @Test(DAVELab.peersAvailable, arguments: Impl.allCases)
    func thePeersCommitAddsCadence(_ implementation: Impl) async throws {
        try await DAVELab.run(configure: { $0.e2eeCaptureLimit = 200 }) { lab in
            let peer = try await lab.join(implementation)
            let bystander = try await lab.join(Self.other(implementation), holdCommits: true)
            #expect(await lab.settle(members: [peer, bystander]))
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            #expect(await lab.settle(members: [peer, bystander], including: cadence.userID))
            #expect(lab.server.report(includeAudio: false).dave.commitAuthors.last == peer.userID)
            #expect(await cadence.waitUntilActive(epoch: 2))
            let codes = try await lab.privacyCodes([peer, bystander])
            #expect(codes[0] != nil && Set(codes).count == 1 && cadence.status.privacyCode == codes[0], "\(codes)")
            try await cadence.playTone(seconds: 1)
            try await Self.expectPeer(peer, decryptsAudioOf: cadence, on: lab.server)
            try await Self.expectPeer(bystander, decryptsAudioOf: cadence, on: lab.server)
            await cadence.shutdown()
        }
    }

    /// Cadence + davey + dave-py; the peer under test leaves and the other two carry on (d).
    @Test(DAVELab.peersAvailable, arguments: Impl.allCases)
    func aThreeMemberChannelLosesThePeerAndCarriesOn(_ leaving: Impl) async throws {
        try await DAVELab.run(configure: { $0.e2eeCaptureLimit = 200 }) { lab in
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            let leaver = try await lab.join(leaving)
            let stayer = try await lab.join(Self.other(leaving))
            #expect(await lab.settle(members: [leaver, stayer], including: cadence.userID))
            let epoch = lab.server.report(includeAudio: false).dave.epoch
            await leaver.quit()
            #expect(await lab.settle(members: [stayer], including: cadence.userID))
            #expect(lab.server.report(includeAudio: false).dave.epoch == epoch + 1)
            #expect(await cadence.waitUntilActive(epoch: epoch + 1))
            let code = try await stayer.privacyCode()
            #expect(code != nil && cadence.status.privacyCode == code)
            try await cadence.playTone(seconds: 1)
            try await Self.expectPeer(stayer, decryptsAudioOf: cadence, on: lab.server)
            await cadence.shutdown()
        }
    }

    /// (f) A visitor's Add is revoked before anyone's commit counts: Cadence must not commit
    /// again (no empty commit), and the epoch and codes stay.
    @Test(DAVELab.peersAvailable, arguments: Impl.allCases)
    func aRevokedAddLeavesCadencesEpochAlone(_ implementation: Impl) async throws {
        try await DAVELab.run { lab in
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            let peer = try await lab.join(implementation, holdCommits: true)
            #expect(await lab.settle(members: [peer], including: cadence.userID))
            #expect(await cadence.waitUntilActive(epoch: 1))
            let code = cadence.status.privacyCode

            lab.server.ignoreCommits(from: cadence.userID)
            let visitor = try await lab.join(.davey)
            _ = await lab.server.waitUntil(timeout: 5) { $0.dave.commitsDropped.count == 1 }
            await visitor.quit()
            _ = await lab.server.waitUntil(timeout: 5) { $0.dave.proposalsRevoked == 2 }
            try await Task.sleep(for: .milliseconds(500))
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.proposalsRevoked == 2)
            #expect(
                report.dave.commitsDropped.filter { $0.hasPrefix(cadence.userID) }.count == 1,
                "Cadence committed again after the revoke: \(report.dave.commitsDropped)")
            #expect(report.dave.epoch == 1)
            #expect(cadence.status.privacyCode == code && cadence.status.isActive)
            await cadence.shutdown()
        }
    }

    /// (f) A corrupted op 29 to Cadence: it answers op 31, is removed and re-added with a new
    /// key package, and ends in the peers' epoch with their privacy code.
    @Test(DAVELab.peersAvailable, arguments: Impl.allCases)
    func aCorruptedAnnouncementMakesCadenceRejoin(_ implementation: Impl) async throws {
        try await DAVELab.run(configure: { $0.e2eeCaptureLimit = 400 }) { lab in
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            let peer = try await lab.join(implementation)
            #expect(await lab.settle(members: [peer], including: cadence.userID))
            lab.server.ignoreCommits(from: cadence.userID)
            lab.server.corruptNextAnnouncement(to: cadence.userID)
            let third = try await lab.join(Self.other(implementation), holdCommits: true)
            let recovered = await lab.server.waitUntil(timeout: 15) { report in
                report.dave.invalidReceived == [cadence.userID] && report.dave.welcomesSent >= 3
                    && report.dave.openTransitions == 0
            }
            #expect(recovered)
            #expect(await lab.settle(members: [peer, third], including: cadence.userID))
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.corruptedAnnouncements == [cadence.userID])
            #expect(await cadence.waitUntilActive(epoch: report.dave.epoch))
            let codes = try await lab.privacyCodes([peer, third])
            #expect(codes[0] != nil && Set(codes).count == 1 && cadence.status.privacyCode == codes[0], "\(codes)")
            try await cadence.playTone(seconds: 1)
            try await Self.expectPeer(peer, decryptsAudioOf: cadence, on: lab.server)
            await cadence.shutdown()
        }
    }

    /// (c), the other way: the peer's frames open with Cadence's own decryptor (the server's
    /// in-process listener runs Cadence's DAVE session), and so does Cadence's live audio.
    @Test(DAVELab.peersAvailable, arguments: Impl.allCases)
    func cadencesDecryptorOpensThePeersFrames(_ implementation: Impl) async throws {
        try await DAVELab.run(configure: { $0.e2eeCaptureLimit = 200 }) { lab in
            let listener = "300000000000000001"
            lab.server.addDAVEListener(userID: listener)
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            let peer = try await lab.join(implementation)
            #expect(await lab.settle(members: [peer], including: cadence.userID, listener))
            #expect(await cadence.waitUntilActive())
            let code = try await peer.privacyCode()
            #expect(code != nil && lab.server.listenerPrivacyCode == code && cadence.status.privacyCode == code)

            let frames = (0..<20).map { index in [0xFC] + (0..<(30 + index)).map { _ in UInt8.random(in: 0...255) } }
            let sealed = try await peer.encrypt(frames)
            #expect(sealed.allSatisfy { $0?.suffix(2) == [0xFA, 0xFA] })
            let opened = lab.server.listenerDecrypt(sealed.compactMap { $0 }, from: peer.userID)
            #expect(opened == frames.map { Optional($0) })

            try await cadence.playTone(seconds: 1)
            _ = await lab.server.waitUntil(timeout: 5) { $0.stream(of: cadence.userID)?.silenceFrames ?? 0 >= 5 }
            let stream = try #require(lab.server.report().stream(of: cadence.userID))
            #expect(stream.e2eeFrames >= 48 && stream.e2eeOpened == stream.e2eeFrames && stream.decodeErrors == 0)
            let pitch = ToneAnalysis.frequency(Array(stream.leftChannel.dropFirst(4800)), sampleRate: 48_000)
            #expect(abs((pitch ?? 0) - 440) <= 2)
            await cadence.shutdown()
        }
    }

    /// A resume keeps Cadence's MLS group: the Add and the commit sent while its socket was
    /// down come back by replay after op 9, and it ends in the new epoch with everyone else.
    @Test(DAVELab.peersAvailable)
    func aResumeReplaysMissedDAVEMessagesAndKeepsTheGroup() async throws {
        try await DAVELab.run(configure: { $0.leaveGrace = 5 }) { lab in
            let cadence = DAVECadenceMember(server: lab.server)
            try await cadence.connect()
            let peer = try await lab.join(.davey)
            #expect(await lab.settle(members: [peer], including: cadence.userID))
            // Held longer than a cold Python peer takes to join on a busy machine.
            lab.server.dropConnection(ofUser: cadence.userID, holdingResumeFor: 3.5)
            let visitor = try await lab.join(.libdave)
            try await visitor.waitFor("welcome")
            #expect(await lab.settle(members: [peer, visitor], including: cadence.userID))
            // The group may settle while the resume is still held: wait for it, then look.
            #expect(await lab.server.waitUntil(timeout: 10) { $0.gateway.resumes == 1 })
            let report = lab.server.report(includeAudio: false)
            #expect(report.gateway.resumes == 1)
            #expect(report.gateway.replayedBinaryMessages >= 2, "\(report.gateway.replayedMessages) replayed")
            #expect(report.dave.epoch == 2 && report.dave.invalidReceived.isEmpty)
            #expect(await cadence.waitUntilActive(epoch: 2))
            let codes = try await lab.privacyCodes([peer, visitor])
            #expect(codes[0] != nil && Set(codes).count == 1 && cadence.status.privacyCode == codes[0], "\(codes)")
            await cadence.shutdown()
        }
    }

    /// (c) Every E2EE frame the server relayed from Cadence opens at the peer and is Opus again.
    static func expectPeer(
        _ peer: DAVEPeer, decryptsAudioOf cadence: DAVECadenceMember, on server: VoiceServerSim,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        _ = await server.waitUntil(timeout: 5) { $0.stream(of: cadence.userID)?.silenceFrames ?? 0 >= 5 }
        let stream = try #require(
            server.report(includeAudio: false).stream(of: cadence.userID),
            sourceLocation: sourceLocation)
        let frames = Array(stream.e2eeCaptured.suffix(40))
        #expect(frames.count >= 30, "only \(frames.count) E2EE frames", sourceLocation: sourceLocation)
        let opened = try await peer.decrypt(frames, from: cadence.userID)
        #expect(
            opened.allSatisfy { $0 != nil }, "\(peer.name) failed on \(opened.filter { $0 == nil }.count)",
            sourceLocation: sourceLocation)
        let decoded = VoiceServerSim.decodeOpus(opened.compactMap { $0 })
        #expect(decoded.failures == 0 && decoded.pcm.count == frames.count * 1920, sourceLocation: sourceLocation)
    }
}
