import MLS
import Testing

/// A member's identity material, as a client would hold it before joining.
private struct Candidate {
    let keyPackage: KeyPackage
    let secrets: KeyPackageSecrets

    init(_ name: String) throws {
        (keyPackage, secrets) = try KeyPackage.create(suite: .p256, identity: Array(name.utf8), signatureKey: .generate())
    }
}

private struct NotAPublicMessage: Error {}

private func publicMessage(_ message: MLSMessage) throws -> PublicMessage {
    guard case .publicMessage(let m) = message.content else { throw NotAPublicMessage() }
    return m
}

private func expectSameEpoch(_ groups: [MLSGroup], _ step: String) {
    let authenticators = Set(groups.map(\.epochAuthenticator))
    let exports = Set(groups.map { $0.export(label: "DAVE", context: [1, 2, 3], length: 16) })
    let trees = Set(groups.map { $0.tree.treeHash(suite: .p256) })
    #expect(authenticators.count == 1, "\(step): epoch authenticators differ")
    #expect(exports.count == 1, "\(step): exporter outputs differ")
    #expect(trees.count == 1, "\(step): trees differ")
    #expect(Set(groups.map(\.epoch)).count == 1, "\(step): epochs differ")
}

@Suite("MLSGroup flow tests")
struct MLSGroupFlowTests {
    let server = SignatureKeyPair.generate()
    let groupID: [UInt8] = [0, 0, 0, 0, 0, 0, 0x30, 0x39]

    private func externalSenders() -> [Extension] {
        let sender = ExternalSender(signatureKey: server.publicKey, credential: .basic(identity: Array("gateway".utf8)))
        var w = TLSWriter()
        w.vector([sender])
        return [Extension(type: Extension.externalSenders, data: w.bytes)]
    }

    @Test("three members: external Add, inline Add, external Remove with path, empty commit")
    func threeMemberFlow() throws {
        let a = try Candidate("alice"), b = try Candidate("bob"), c = try Candidate("charlie")
        var alice = try MLSGroup.create(groupID: groupID, keyPackage: a.keyPackage, secrets: a.secrets, extensions: externalSenders())

        // The gateway proposes Bob; Alice commits it by reference (Add only: no path).
        let addBob = try ExternalProposal.make(
            groupID: groupID, epoch: alice.epoch, senderIndex: 0,
            proposal: .add(b.keyPackage), signatureKey: server)
        _ = try alice.process(addBob)
        let first = try alice.commit()
        guard case .publicMessage(let firstCommit) = first.commit.content, case .commit(let body) = firstCommit.content.body else {
            Issue.record("commit is not a PublicMessage commit")
            return
        }
        #expect(body.path == nil)
        #expect(body.proposals == [.reference(ExternalProposal.reference(of: try publicMessage(addBob)))])
        _ = try alice.process(first.commit)
        var bob = try MLSGroup.join(welcome: try #require(first.welcome), keyPackage: b.keyPackage, secrets: b.secrets)
        expectSameEpoch([alice, bob], "after adding Bob")

        // Bob adds Charlie inline; wire round trip of commit and Welcome on the way.
        let second = try bob.commit(adding: [c.keyPackage])
        let secondBytes = second.commit.encoded
        _ = try alice.process(bytes: secondBytes)
        _ = try bob.process(bytes: secondBytes)
        let welcomeBytes = try #require(second.welcome).encoded
        var charlie = try MLSGroup.join(welcome: try Welcome(decoding: welcomeBytes), keyPackage: c.keyPackage, secrets: c.secrets)
        #expect(charlie.ownLeafIndex == 2)
        expectSameEpoch([alice, bob, charlie], "after adding Charlie")

        // The gateway removes Bob; Charlie commits (Remove requires a path).
        let removeBob = try ExternalProposal.make(
            groupID: groupID, epoch: alice.epoch, senderIndex: 0,
            proposal: .remove(leafIndex: 1), signatureKey: server)
        _ = try alice.process(removeBob)
        _ = try bob.process(removeBob)
        _ = try charlie.process(removeBob)
        let third = try charlie.commit()
        guard case .publicMessage(let thirdCommit) = third.commit.content, case .commit(let thirdBody) = thirdCommit.content.body else {
            Issue.record("third commit malformed")
            return
        }
        #expect(thirdBody.path != nil)
        #expect(third.welcome == nil)
        _ = try charlie.process(third.commit)
        _ = try alice.process(third.commit)
        let bobResult = try bob.process(third.commit)
        guard case .removedFromGroup = bobResult else {
            Issue.record("Bob should learn he was removed, got \(bobResult)")
            return
        }
        expectSameEpoch([alice, charlie], "after removing Bob")
        #expect(alice.members.map(\.leafIndex) == [0, 2])

        // An empty commit must carry a path; all remaining members follow.
        let fourth = try alice.commit()
        _ = try alice.process(fourth.commit)
        _ = try charlie.process(fourth.commit)
        expectSameEpoch([alice, charlie], "after empty commit")
        #expect(alice.epoch == 4)
    }

    @Test("a commit from another member wins: the loser discards its pending commit and follows")
    func competingCommits() throws {
        let a = try Candidate("alice"), b = try Candidate("bob")
        var alice = try MLSGroup.create(groupID: groupID, keyPackage: a.keyPackage, secrets: a.secrets, extensions: externalSenders())
        let add = try alice.commit(adding: [b.keyPackage])
        _ = try alice.process(add.commit)
        var bob = try MLSGroup.join(welcome: try #require(add.welcome), keyPackage: b.keyPackage, secrets: b.secrets)
        _ = try alice.commit(forcePath: true)
        let winner = try bob.commit(forcePath: true)
        #expect(alice.hasPendingCommit)
        _ = try alice.process(winner.commit)
        _ = try bob.process(winner.commit)
        #expect(!alice.hasPendingCommit)
        expectSameEpoch([alice, bob], "after competing commits")
    }

    @Test("tampered and stale messages are rejected with the failing check named")
    func rejections() throws {
        let a = try Candidate("alice"), b = try Candidate("bob"), c = try Candidate("charlie")
        var alice = try MLSGroup.create(groupID: groupID, keyPackage: a.keyPackage, secrets: a.secrets, extensions: externalSenders())
        let add = try alice.commit(adding: [b.keyPackage])
        _ = try alice.process(add.commit)
        var bob = try MLSGroup.join(welcome: try #require(add.welcome), keyPackage: b.keyPackage, secrets: b.secrets)
        let commit = try alice.commit(forcePath: true)
        var tampered = try publicMessage(commit.commit)
        tampered.auth.signature[tampered.auth.signature.count - 3] ^= 1
        #expect(throws: MLSError.self) { _ = try bob.process(.publicMessage(tampered)) }
        tampered = try publicMessage(commit.commit)
        tampered.membershipTag?[0] ^= 1
        #expect(throws: MLSError.invalid(.membershipTag, "membership tag does not verify")) {
            _ = try bob.process(.publicMessage(tampered))
        }

        let forged = try ExternalProposal.make(
            groupID: groupID, epoch: bob.epoch, senderIndex: 0,
            proposal: .add(c.keyPackage), signatureKey: .generate())
        #expect(throws: MLSError.invalid(.signature, "FramedContentTBS signature does not verify")) { _ = try bob.process(forged) }
        let stale = try ExternalProposal.make(
            groupID: groupID, epoch: bob.epoch + 1, senderIndex: 0,
            proposal: .add(c.keyPackage), signatureKey: server)
        #expect(throws: MLSError.self) { _ = try bob.process(stale) }
        let otherBob = try Candidate("bob2")
        #expect(throws: MLSError.invalid(.welcomeSecrets, "Welcome has no secrets for this key package")) {
            _ = try MLSGroup.join(welcome: try #require(add.welcome), keyPackage: otherBob.keyPackage, secrets: otherBob.secrets)
        }
        _ = try bob.process(commit.commit)
        _ = try alice.process(commit.commit)
        expectSameEpoch([alice, bob], "valid commit after rejections")
    }
}
