import MLS

@testable import DAVE

/// Several DAVESessions in one call, wired through a TestGateway the way the voice gateway
/// relays messages (doc §5.4): it hands each session exactly the inputs a real client would get.
struct TestCall {
    var gateway = TestGateway()
    var sessions: [UInt64: DAVESession] = [:]
    var keyPackages: [UInt64: [UInt8]] = [:]
    /// Last outputs per user, for assertions.
    var outputs: [UInt64: [DAVEOutput]] = [:]
    var nextTransition: UInt16 = 1

    /// op 4 (version 1), op 25 and op 11 for a newcomer; op 11 for everyone else.
    mutating func connect(_ user: UInt64) throws {
        var session = DAVESession(userID: user, channelID: gateway.channelID)
        let started = try session.handle(.sessionDescription(protocolVersion: 1))
        keyPackages[user] = try started.require(started.keyPackage, "op 26 after op 4")
        _ = try session.handle(.binary(.externalSender(package: gateway.externalSenderPackage)))
        _ = try session.handle(.clientsConnected(Array(sessions.keys)))
        for other in sessions.keys { _ = try sessions[other]?.handle(.clientsConnected([user])) }
        sessions[user] = session
    }

    mutating func handle(_ user: UInt64, _ input: DAVEInput) throws -> [DAVEOutput] {
        guard var session = sessions[user] else { throw TestGatewayError.missingOutput("no session \(user)") }
        let result = try session.handle(input)
        sessions[user] = session
        outputs[user] = result
        if let package = result.keyPackage { keyPackages[user] = package }
        return result
    }

    /// Sends `proposals` (op 27 append) to `members`, lets `winner`'s commit win: op 29 to the
    /// members, op 30 to `joiners`, then op 22 to everyone. Returns the transition id.
    @discardableResult
    mutating func commitRound(
        members: [UInt64], proposals: [[UInt8]], winner: UInt64, joiners: [UInt64] = [],
        execute: Bool = true
    ) throws -> UInt16 {
        var commits: [UInt64: [UInt8]] = [:]
        for member in members {
            let out = try handle(member, .binary(TestGateway.append(proposals)))
            commits[member] = try out.require(out.commitWelcome, "op 28 from \(member)")
        }
        let (commit, welcome) = try TestGateway.split(try commits[winner].unwrap("winner's commit"))
        let transition = nextTransition
        nextTransition += 1
        gateway.epoch += 1
        for member in members { _ = try handle(member, .binary(.announceCommit(transitionID: transition, commit: commit))) }
        for joiner in joiners {
            _ = try handle(joiner, .binary(.welcome(transitionID: transition, welcome: try welcome.unwrap("welcome"))))
        }
        if execute {
            for user in members + joiners { _ = try handle(user, .executeTransition(TransitionID(transition))) }
        }
        return transition
    }

    /// The two-member group of flow (B): both in a pending group, `winner` commits first.
    mutating func establishPair(_ a: UInt64, _ b: UInt64, winner: UInt64) throws {
        try connect(a)
        try connect(b)
        let loser = winner == a ? b : a
        // Each gets an Add for the other at epoch 0; both commit, the gateway takes `winner`'s.
        let addLoser = try gateway.add(keyPackage: try keyPackages[loser].unwrap("kp"), epoch: 0)
        let addWinner = try gateway.add(keyPackage: try keyPackages[winner].unwrap("kp"), epoch: 0)
        let out = try handle(loser, .binary(TestGateway.append([addWinner.message])))
        _ = try out.require(out.commitWelcome, "loser's own commit")
        try commitRound(members: [winner], proposals: [addLoser.message], winner: winner, joiners: [loser])
    }

    func leaf(of user: UInt64) -> UInt32? { sessions[user]?.group.map { UInt32($0.ownLeafIndex) } }
}

extension Optional {
    func unwrap(_ what: String) throws -> Wrapped {
        guard let self else { throw TestGatewayError.missingOutput(what) }
        return self
    }
}
