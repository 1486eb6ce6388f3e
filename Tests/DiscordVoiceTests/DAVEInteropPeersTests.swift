import CadenceTestSupport
import DAVEPeers
import Foundation
import Testing
import VoiceServerSim

/// The local server's DAVE delivery service and external sender against the two
/// implementations nobody here wrote: davey (openmls) and dave-py (Discord's libdave) join one
/// channel through it, form groups, re-key, lose members and recover, exactly as they would on
/// Discord's gateway.
@Suite(.serialized) struct DAVEInteropPeersTests {
    struct Pair: Sendable, CustomTestStringConvertible {
        var committer: DAVEPeer.Implementation
        var joiner: DAVEPeer.Implementation
        var testDescription: String { "\(committer) commits, \(joiner) joins by Welcome" }
    }

    static let pairs = [Pair(committer: .davey, joiner: .libdave), Pair(committer: .libdave, joiner: .davey)]

    @Test(DAVELab.peersAvailable, arguments: pairs)
    func theFirstCommitAddsTheOtherPeerAndALateOneIsDropped(pair: Pair) async throws {
        try await DAVELab.run { lab in
            let committer = try await lab.join(pair.committer, holdCommits: true)
            let joiner = try await lab.join(pair.joiner, holdCommits: true)
            // Before the group exists each pending member is offered the other's key package.
            try await committer.waitFor("commit_ready")
            try await joiner.waitFor("commit_ready")
            committer.send(["cmd": "commit"])
            let announce = try await committer.waitFor("announce")
            let welcome = try await joiner.waitFor("welcome")
            #expect(announce["ok"] as? Bool == true, "\(announce)")
            #expect(welcome["ok"] as? Bool == true, "\(welcome)")
            #expect(announce["t"] as? Int == welcome["t"] as? Int && (announce["t"] as? Int ?? 0) != 0)
            #expect(await lab.settle(members: [committer, joiner]))
            let executed = [try await committer.waitFor("execute"), try await joiner.waitFor("execute")]
            let codes = executed.map { $0["privacy_code"] as? String }
            #expect(codes[0] != nil && codes[0]?.count == 30 && codes[0] == codes[1], "\(codes)")

            // The joiner's own epoch-0 commit lost the race: the server must drop it.
            joiner.send(["cmd": "commit"])
            _ = await lab.server.waitUntil(timeout: 5) { $0.dave.commitsDropped.count == 1 }
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.commitsAccepted == 1)
            #expect(report.dave.commitsDropped.count == 1, "\(report.dave.commitsDropped)")
            #expect(report.dave.epoch == 1)
            #expect(report.dave.roster == [committer.userID, joiner.userID])
            #expect(report.gateway.negotiatedDAVEVersions == [1, 1])
            try await lab.expectMediaFlows(among: [committer, joiner])
        }
    }

    @Test(DAVELab.peersAvailable, arguments: DAVEPeer.Implementation.allCases)
    func theSoleSurvivorResetsAndFormsANewGroupWithTheNextJoiner(survivor implementation: DAVEPeer.Implementation)
        async throws
    {
        try await DAVELab.run { lab in
            let survivor = try await lab.join(implementation)
            let leaver = try await lab.join(implementation == .davey ? .libdave : .davey)
            #expect(await lab.settle(members: [survivor, leaver]))
            await leaver.quit()
            try await survivor.waitFor("prepare_epoch", where: { $0["epoch"] as? Int == 1 })
            try await survivor.waitFor("execute", where: { $0["t"] as? Int == 0 })
            try await survivor.waitFor("key_package", count: 2)
            #expect(lab.server.report(includeAudio: false).dave.soleMemberResets == 1)

            let newcomer = try await lab.join(.davey)
            #expect(await lab.settle(members: [survivor, newcomer]))
            let codes = try await lab.privacyCodes([survivor, newcomer])
            #expect(codes[0] != nil && codes[0] == codes[1], "\(codes)")
            #expect(lab.server.report(includeAudio: false).dave.epoch == 1)
            try await lab.expectMediaFlows(among: [survivor, newcomer])
        }
    }

    @Test(DAVELab.peersAvailable, arguments: DAVEPeer.Implementation.allCases)
    func aThreeMemberGroupLosesOneAndTheRestCarryOnInTheNextEpoch(leaving: DAVEPeer.Implementation) async throws {
        try await DAVELab.run { lab in
            let davey = try await lab.join(.davey)
            let libdave = try await lab.join(.libdave)
            #expect(await lab.settle(members: [davey, libdave]))
            let third = try await lab.join(.davey)
            #expect(await lab.settle(members: [davey, libdave, third]))
            let before = lab.server.report(includeAudio: false).dave.epoch
            let codesBefore = try await lab.privacyCodes([davey, libdave, third])
            #expect(Set(codesBefore).count == 1 && codesBefore[0] != nil, "\(codesBefore)")

            let leaver = leaving == .davey ? davey : libdave
            let rest: [DAVEPeer] = [davey, libdave, third].filter { $0 !== leaver }
            await leaver.quit()
            #expect(await lab.settle(members: rest))
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.epoch == before + 1)
            #expect(report.dave.soleMemberResets == 0)
            let codes = try await lab.privacyCodes(rest)
            #expect(codes[0] != nil && codes[0] == codes[1] && codes[0] != codesBefore[0], "\(codes)")
            try await lab.expectMediaFlows(among: rest)
        }
    }

    @Test(DAVELab.peersAvailable)
    func anAddRevokedBeforeAnyCommitLeavesTheEpochAlone() async throws {
        try await DAVELab.run { lab in
            let davey = try await lab.join(.davey, holdCommits: true)
            let libdave = try await lab.join(.libdave, holdCommits: true)
            try await davey.waitFor("commit_ready")
            davey.send(["cmd": "commit"])
            #expect(await lab.settle(members: [davey, libdave]))
            let code = try await davey.privacyCode()

            // Someone joins; both members hold their commits; it leaves before either sends one.
            let visitor = try await lab.join(.davey)
            try await davey.waitFor("proposals", count: 2)
            try await libdave.waitFor("proposals", count: 2)
            await visitor.quit()
            let revoked = await lab.server.waitUntil(timeout: 5) { $0.dave.proposalsRevoked == 2 }
            #expect(revoked)
            try await davey.waitFor("proposals", where: { $0["op"] as? Int == 1 })
            try await libdave.waitFor("proposals", where: { $0["op"] as? Int == 1 })
            // Whatever the peers still hold (libdave makes an empty commit here) must not pass.
            davey.send(["cmd": "commit"])
            libdave.send(["cmd": "commit"])
            try await Task.sleep(for: .milliseconds(500))
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.commitsAccepted == 1, "\(report.dave.commitsDropped)")
            #expect(report.dave.epoch == 1)
            #expect(try await lab.privacyCodes([davey, libdave]) == [code, code])
            try await lab.expectMediaFlows(among: [davey, libdave])
        }
    }

    @Test(DAVELab.peersAvailable, arguments: DAVEPeer.Implementation.allCases)
    func aCorruptedAnnouncementLeadsToInvalidCommitAndTheMemberRejoins(victim implementation: DAVEPeer.Implementation)
        async throws
    {
        try await DAVELab.run { lab in
            let davey = try await lab.join(.davey)
            let libdave = try await lab.join(.libdave)
            #expect(await lab.settle(members: [davey, libdave]))
            let victim = implementation == .davey ? davey : libdave
            // The other member's commit must win, so that the victim receives it as op 29.
            lab.server.ignoreCommits(from: victim.userID)
            lab.server.corruptNextAnnouncement(to: victim.userID)
            let third = try await lab.join(.davey)
            let victimID = victim.userID
            let failed = try await victim.waitFor("announce", where: { $0["ok"] as? Bool == false })
            #expect(failed["error"] != nil)
            #expect(lab.server.report(includeAudio: false).dave.corruptedAnnouncements == [victimID])
            try await victim.waitFor("invalid_sent")
            // Recovery: the server removes its old leaf and adds its new key package.
            let failedAt = failed["t"] as? Int ?? 0
            try await victim.waitFor("welcome", where: { $0["ok"] as? Bool == true && $0["t"] as? Int ?? 0 > failedAt })
            let members = [davey, libdave, third]
            #expect(await lab.settle(members: members))
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.invalidReceived == [victimID])
            let codes = try await lab.privacyCodes(members)
            #expect(Set(codes).count == 1 && codes[0] != nil, "\(codes)")
            try await lab.expectMediaFlows(among: members)
        }
    }

    @Test(DAVELab.peersAvailable, arguments: DAVEPeer.Implementation.allCases)
    func aTransitionAMemberNeverAcknowledgesExecutesAfterThreeSeconds(silent implementation: DAVEPeer.Implementation)
        async throws
    {
        try await DAVELab.run { lab in
            let member = try await lab.join(implementation == .davey ? .libdave : .davey, holdCommits: true)
            let silent = try await lab.join(implementation, holdCommits: true, neverReady: true)
            try await member.waitFor("commit_ready")
            member.send(["cmd": "commit"])
            let announced = try await member.waitFor("announce")
            let executed = try await member.waitFor("execute", timeout: 10)
            let waited = (executed["at"] as? Double ?? 0) - (announced["at"] as? Double ?? 0)
            #expect(waited >= 2.9 && waited < 4.5, "op 22 came \(waited) s after op 29")
            try await silent.waitFor("execute")
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.transitionsTimedOut == 1 && report.dave.transitionsExecuted == 1)
            // The silent member processed the Welcome all the same: media flows both ways.
            try await lab.expectMediaFlows(among: [member, silent])
        }
    }
}
