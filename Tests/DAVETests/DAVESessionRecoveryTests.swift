import MLS
import Testing

@testable import DAVE

@Suite("DAVE session recovery")
struct DAVESessionRecoveryTests {
    @Test("A corrupted op 29 answers op 31, resets to a pending group and offers a new key package")
    func corruptCommit() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        try call.connect(3)
        let oldPackage = try call.keyPackages[2].unwrap("kp 2")
        let add = try call.gateway.add(keyPackage: try call.keyPackages[3].unwrap("kp 3"))
        for member: UInt64 in [1, 2] { _ = try call.handle(member, .binary(TestGateway.append([add.message]))) }
        let winning = try call.outputs[1].unwrap("1").commitWelcome.unwrap("op 28")
        var (commit, _) = try TestGateway.split(winning)
        commit[commit.count - 40] ^= 0x01

        let out = try call.handle(2, .binary(.announceCommit(transitionID: 9, commit: commit)))
        #expect(out.first == .invalidCommitWelcome(9))
        let newPackage = try out.require(out.keyPackage, "new op 26")
        #expect(newPackage != oldPackage)
        #expect(call.sessions[2]?.phase == .pendingGroup)
        #expect(out.contains { if case .recovered(.invalidCommit(9, _)) = $0 { true } else { false } })
        // op 22 for the failed transition is ignored.
        #expect(try call.handle(2, .executeTransition(TransitionID(9))).isEmpty)
    }

    @Test("A Welcome for someone else's key package answers op 31 and a new key package")
    func foreignWelcome() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        try call.connect(3)
        try call.connect(4)
        let add = try call.gateway.add(keyPackage: try call.keyPackages[3].unwrap("kp 3"))
        let op28 = try call.handle(1, .binary(TestGateway.append([add.message]))).commitWelcome.unwrap("op 28")
        let welcome = try TestGateway.split(op28).welcome.unwrap("welcome for 3")
        let out = try call.handle(4, .binary(.welcome(transitionID: 3, welcome: welcome)))
        #expect(out.first == .invalidCommitWelcome(3))
        #expect(out.contains { if case .recovered(.invalidWelcome(3, _)) = $0 { true } else { false } })
        #expect(out.keyPackage != nil)
    }

    @Test("Sole-member reset: op 24 epoch 1 and op 21 id 0 bring back the alone state in plain Opus")
    func soleMemberReset() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 2)
        _ = try call.handle(1, .clientDisconnected(2))
        let epochOut = try call.handle(1, .prepareEpoch(PrepareEpoch(protocolVersion: 1, epoch: 1)))
        #expect(epochOut.keyPackage != nil)
        let transitionOut = try call.handle(1, .prepareTransition(PrepareTransition(transitionID: 0, protocolVersion: 1)))
        #expect(transitionOut == [.sendRatchet(nil)])
        #expect(call.sessions[1]?.phase == .pendingGroup)
        #expect(call.sessions[1]?.isEncrypting == false)
        #expect(call.sessions[1]?.privacyCode == nil)
    }

    @Test("Transition id 0 executes at once without op 23; other ids wait for op 22")
    func transitionZero() throws {
        var session = DAVESession(userID: 1, channelID: 5)
        let out = try session.handle(.prepareTransition(PrepareTransition(transitionID: 4, protocolVersion: 1)))
        #expect(out == [.transitionReady(4)])
        #expect(try session.handle(.executeTransition(TransitionID(5))).isEmpty)

        var call = TestCall()
        try call.connect(1)
        try call.connect(2)
        let add = try call.gateway.add(keyPackage: try call.keyPackages[2].unwrap("kp 2"), epoch: 0)
        let commit = try TestGateway.split(
            try call.handle(1, .binary(TestGateway.append([add.message])))
                .commitWelcome.unwrap("op 28")
        ).commit
        let announced = try call.handle(1, .binary(.announceCommit(transitionID: 0, commit: commit)))
        #expect(!announced.contains { if case .transitionReady = $0 { true } else { false } })
        #expect(announced.sendRatchet != nil && call.sessions[1]?.isEncrypting == true)
    }

    @Test("A downgrade to version 0 opens receive passthrough, then stops encrypting on op 22")
    func downgrade() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        let prepared = try call.handle(1, .prepareTransition(PrepareTransition(transitionID: 7, protocolVersion: 0)))
        #expect(prepared == [.receivePassthrough(true), .transitionReady(7)])
        #expect(call.sessions[1]?.isEncrypting == true)
        #expect(try call.handle(1, .executeTransition(TransitionID(7))) == [.sendRatchet(nil)])
        #expect(call.sessions[1]?.phase == .inactive)
    }

    @Test("Sender keys from the session roll into generation 1 at 2^24 frames and the listener follows")
    func rollover() throws {
        var call = TestCall()
        try call.establishPair(1, 2, winner: 1)
        let ratchet = try call.sessions[1].unwrap("1").ratchet(for: 1).unwrap("send ratchet")
        var encryptor = FrameEncryptor(ratchet: ratchet, startingNonce: (1 << 24) - 2)
        var decryptor = FrameDecryptor()
        decryptor.install(try call.sessions[2].unwrap("2").receiveRatchets()[1].unwrap("receive ratchet"))
        for frame in 0..<4 {
            let opus: [UInt8] = [0xFC, UInt8(frame), 1, 2, 3]
            #expect(try decryptor.decrypt(try encryptor.encrypt(opus)) == opus)
        }
        #expect(encryptor.lastNonce >> 24 == 1)
    }

    @Test("The privacy code reads 5-byte big-endian groups modulo 100000")
    func privacyCodeDigits() {
        var authenticator = [UInt8](repeating: 0, count: 32)
        authenticator[3] = 0x30
        authenticator[4] = 0x39  // 12345
        authenticator[5...9] = [0, 0, 0x01, 0x86, 0xA0]  // 100000 → 00000
        authenticator[10...14] = [0, 0, 0x01, 0x86, 0xA7]  // 100007 → 00007
        #expect(PrivacyCode.displayable(authenticator) == "12345" + "00000" + "00007" + String(repeating: "0", count: 15))
        #expect(PrivacyCode.displayable([1, 2, 3]) == nil)
    }
}
