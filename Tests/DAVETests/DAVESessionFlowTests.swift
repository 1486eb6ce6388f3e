import MLS
import Testing

@testable import DAVE

@Suite("DAVE session flows")
struct DAVESessionFlowTests {
    let opus: [UInt8] = [0xFC] + Array(1...40)

    @Test("op 4 with version 1 sends a bare key package for this user; op 25 then creates the pending group")
    func keyPackageOnSessionDescription() throws {
        var session = DAVESession(userID: 42, channelID: 7)
        let out = try session.handle(.sessionDescription(protocolVersion: 1))
        let bytes = try out.require(out.keyPackage, "op 26")
        let package = try KeyPackage(decoding: bytes)
        #expect(Array(bytes.prefix(4)) == [0, 1, 0, 2])
        #expect(package.leafNode.credential == .basic(identity: [0, 0, 0, 0, 0, 0, 0, 42]))
        #expect(session.phase == .awaitingExternalSender)
        _ = try session.handle(.binary(.externalSender(package: TestGateway().externalSenderPackage)))
        #expect(session.phase == .pendingGroup)
        #expect(session.isEncrypting == false)
    }

    @Test("A server choosing version 0 leaves the client in plain passthrough")
    func versionZero() throws {
        var session = DAVESession(userID: 1, channelID: 7)
        #expect(try session.handle(.sessionDescription(protocolVersion: 0)).isEmpty)
        #expect(session.phase == .inactive)
        #expect(try session.handle(.binary(.externalSender(package: TestGateway().externalSenderPackage))).isEmpty)
        #expect(session.phase == .inactive)
    }

    @Test(
        "Two members create the group; the sender's key is the listener's key, and codes match",
        arguments: [UInt64(1), 2])
    func join(winner: UInt64) throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: winner)
        let a = try call.sessions[1].unwrap("a"), b = try call.sessions[2].unwrap("b")
        #expect(a.phase == .established(epoch: 1) && b.phase == .established(epoch: 1))
        #expect(a.isEncrypting && b.isEncrypting)
        #expect(a.privacyCode != nil && a.privacyCode == b.privacyCode)
        #expect(a.privacyCode?.count == 30)

        // The op 22 send ratchet of 1 is what 2 installed for 1 at op 29/30.
        let sendOf1 = try call.outputs[1].unwrap("outputs").sendRatchet.unwrap("op 22 switch").unwrap("ratchet")
        var encryptor = FrameEncryptor(ratchet: sendOf1)
        var decryptor = FrameDecryptor()
        decryptor.install(try b.receiveRatchets()[1].unwrap("2's ratchet for 1"))
        #expect(try decryptor.decrypt(try encryptor.encrypt(opus)) == opus)
        #expect(b.receiveRatchets().keys.sorted() == [1])
    }

    @Test("A third member joins through another member's commit; all three agree on the epoch")
    func addThird() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        try call.connect(3)
        let add = try call.gateway.add(keyPackage: try call.keyPackages[3].unwrap("kp 3"))
        try call.commitRound(members: [1, 2], proposals: [add.message], winner: 2, joiners: [3])
        let codes = [1, 2, 3].map { call.sessions[UInt64($0)]?.privacyCode }
        #expect(codes[0] != nil && Set(codes).count == 1)
        #expect(call.sessions[3]?.phase == .established(epoch: 2))
        #expect(call.sessions[1]?.memberUserIDs.sorted() == [1, 2, 3])
        #expect(try call.sessions[1].unwrap("1").ratchet(for: 3) == call.sessions[3]?.ratchet(for: 3))
    }

    @Test("A member leaves: the Remove commit carries a path and the rest move on together")
    func removeMember() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        try call.connect(3)
        let add = try call.gateway.add(keyPackage: try call.keyPackages[3].unwrap("kp 3"))
        try call.commitRound(members: [1, 2], proposals: [add.message], winner: 1, joiners: [3])
        let before = call.sessions[1]?.privacyCode

        _ = try call.handle(1, .clientDisconnected(3))
        _ = try call.handle(2, .clientDisconnected(3))
        let remove = try call.gateway.remove(leaf: try call.leaf(of: 3).unwrap("leaf of 3"))
        try call.commitRound(members: [1, 2], proposals: [remove.message], winner: 1)
        #expect(call.sessions[2]?.phase == .established(epoch: 3))
        #expect(call.sessions[1]?.memberUserIDs.sorted() == [1, 2])
        #expect(call.sessions[1]?.privacyCode == call.sessions[2]?.privacyCode)
        #expect(call.sessions[1]?.privacyCode != before)
    }

    @Test("Revoking every cached proposal sends nothing; revoking one re-commits the rest by reference")
    func revoke() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        try call.connect(3)
        try call.connect(4)
        let add3 = try call.gateway.add(keyPackage: try call.keyPackages[3].unwrap("kp 3"))
        let add4 = try call.gateway.add(keyPackage: try call.keyPackages[4].unwrap("kp 4"))
        _ = try call.handle(1, .binary(TestGateway.append([add3.message, add4.message])))

        let recommit = try call.handle(1, .binary(TestGateway.revoke([add3.ref])))
        let (commit, welcome) = try TestGateway.split(try recommit.require(recommit.commitWelcome, "re-commit"))
        guard case let .publicMessage(message) = try MLSMessage(decoding: commit).content,
            case let .commit(body) = message.content.body
        else {
            Issue.record("not a commit")
            return
        }
        #expect(body.proposals == [.reference(add4.ref)])
        #expect(welcome != nil)

        #expect(try call.handle(1, .binary(TestGateway.revoke([add4.ref]))).commitWelcome == nil)
        #expect(call.sessions[1]?.group?.pendingProposals.isEmpty == true)
    }

    @Test("op 25 must be exactly one ExternalSender: trailing or missing bytes are a typed error")
    func strictExternalSender() throws {
        var session = DAVESession(userID: 1, channelID: 7)
        _ = try session.handle(.sessionDescription(protocolVersion: 1))
        let package = TestGateway().externalSenderPackage
        #expect(throws: DAVEError.self) { try session.handle(.binary(.externalSender(package: package + [0]))) }
        #expect(throws: DAVEError.self) { try session.handle(.binary(.externalSender(package: Array(package.dropLast())))) }
        #expect(session.phase == .awaitingExternalSender)
    }

    @Test("Proposals for another epoch are ignored without a commit")
    func staleEpochProposals() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        try call.connect(3)
        let stale = try call.gateway.add(keyPackage: try call.keyPackages[3].unwrap("kp 3"), epoch: 0)
        #expect(try call.handle(1, .binary(TestGateway.append([stale.message]))).isEmpty)
        #expect(call.sessions[1]?.group?.pendingProposals.isEmpty == true)
    }

    @Test("Proposals signed by someone else or adding an unknown user are refused, state unchanged")
    func refusedProposals() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        var stranger = DAVESession(userID: 99, channelID: call.gateway.channelID)
        let strangerPackage = try stranger.handle(.sessionDescription(protocolVersion: 1)).keyPackage.unwrap("kp")
        let unknown = try call.gateway.add(keyPackage: strangerPackage)
        #expect(throws: DAVEError.self) { try call.handle(1, .binary(TestGateway.append([unknown.message]))) }

        let impostor = TestGateway(channelID: call.gateway.channelID)
        try call.connect(3)
        let forged = try impostor.add(keyPackage: try call.keyPackages[3].unwrap("kp 3"), epoch: call.gateway.epoch)
        #expect(throws: DAVEError.self) { try call.handle(1, .binary(TestGateway.append([forged.message]))) }
        #expect(call.sessions[1]?.group?.pendingProposals.isEmpty == true)
    }
}
