import DAVE
import MLS

/// The DAVE side of the local voice server's one channel: Discord's delivery service and MLS
/// external sender (doc §8.3), as a plain value driven by gateway events.
///
/// Guarantees: proposals are signed with the channel's own P-256 key and carry the current
/// epoch; the first commit of an epoch that references exactly the proposals in flight (and
/// whose Welcome covers every Add) wins, every later one is dropped; a transition executes when
/// every participant is ready or its deadline passes. Bad input from a client is counted in
/// `stats` and dropped, never trusted and never a crash.
struct DAVEChannel: Sendable {
    struct Member: Sendable {
        var userID: String
        /// The latest valid key package not yet consumed by a commit.
        var keyPackage: [UInt8]?
        /// Leaf in the established group.
        var leaf: UInt32?
        /// Sent op 31: its old leaf is to be removed and it rejoins with a new key package.
        var invalid = false
        /// Still connected (a departed member keeps its record until its leaf is removed).
        var present = true
    }

    /// A proposal the channel sent in the current epoch, with what it is about.
    struct SentProposal: Sendable, Equatable {
        enum Kind: Sendable, Equatable {
            case add(userID: String, keyPackage: [UInt8])
            case remove(userID: String, leaf: UInt32)
        }

        var kind: Kind
        var reference: [UInt8]
        var message: [UInt8]
    }

    struct Transition: Sendable {
        var participants: [String]
        var waiting: Set<String>
    }

    let groupID: [UInt8]
    let signer: SignatureKeyPair
    let suite = CipherSuite.p256
    private(set) var established = false
    private(set) var epoch: UInt64 = 0
    var members: [String: Member] = [:]
    /// Join order, so every iteration (and so every test run) is deterministic.
    var order: [String] = []
    /// Leaf index → user, mirroring the members' ratchet trees.
    var leaves: [String?] = []
    /// Established group: the proposals every member holds for this epoch.
    var inFlight: [SentProposal] = []
    /// Before the group exists every pending user has its own local group and its own set.
    var pendingSent: [String: [SentProposal]] = [:]
    var transitions: [UInt16: Transition] = [:]
    var nextTransition: UInt16 = 1
    /// Test hook: corrupt the next op 29 that goes to someone other than its committer.
    var corruptNextAnnouncement = false
    /// With `corruptNextAnnouncement`: only an op 29 to this user is corrupted.
    var corruptionTarget: String?
    /// Test hook: commits from these users are dropped as if they always lost the race.
    var ignoredCommitters: Set<String> = []
    var stats = VoiceServerReport.DAVE()

    init(channelID: UInt64, signer: SignatureKeyPair = .generate()) {
        groupID = Self.bigEndian64(channelID)
        self.signer = signer
    }

    static func bigEndian64(_ value: UInt64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) } }

    /// op 25's payload: the MLS ExternalSender struct, identity one zero byte as Discord's.
    var externalSenderPackage: [UInt8] {
        ExternalSender(signatureKey: signer.publicKey, credential: .basic(identity: [0])).encoded
    }

    // MARK: Events

    /// A client negotiated DAVE (op 4 said version 1): it gets the external sender.
    mutating func join(_ userID: String) -> DAVEEffects {
        var effects = DAVEEffects()
        if members[userID] != nil { effects.append(leave(userID)) }
        members[userID] = Member(userID: userID)
        order.append(userID)
        effects.send(.binary(.externalSender(package: externalSenderPackage)), to: userID)
        return effects
    }

    /// op 26. A valid key package is proposed to whoever must add its owner.
    mutating func keyPackage(_ bytes: [UInt8], from userID: String) -> DAVEEffects {
        stats.keyPackagesReceived += 1
        guard var member = members[userID], member.present else { return DAVEEffects() }
        do {
            let package = try KeyPackage(decoding: bytes)
            try package.validate(suite: suite)
            guard case let .basic(identity) = package.leafNode.credential,
                identity == Self.bigEndian64(UInt64(userID) ?? 0)
            else { throw DAVESimError.keyPackage(userID: userID, "credential is not BE64(user id)") }
        } catch {
            stats.rejected.append("op 26 from \(userID): \(error)")
            return DAVEEffects()
        }
        if member.leaf != nil && !member.invalid {
            stats.rejected.append("op 26 from \(userID): already a member")
            return DAVEEffects()
        }
        member.keyPackage = bytes
        members[userID] = member
        // Its local group is new: whatever it was sent before is gone on its side.
        pendingSent[userID] = nil
        return reconcile()
    }

    /// op 23.
    mutating func ready(_ transitionID: UInt16, from userID: String) -> DAVEEffects {
        stats.readyReceived += 1
        return markDone(userID, transitionID: transitionID)
    }

    /// op 31: the client failed a commit or Welcome and reset; it comes back with a new op 26.
    mutating func invalidCommitWelcome(_ transitionID: UInt16, from userID: String) -> DAVEEffects {
        stats.invalidReceived.append(userID)
        guard var member = members[userID] else { return DAVEEffects() }
        member.keyPackage = nil
        if member.leaf != nil { member.invalid = true }
        members[userID] = member
        pendingSent[userID] = nil
        var effects = DAVEEffects()
        for id in Array(transitions.keys) { effects.append(markDone(userID, transitionID: id)) }
        effects.append(reconcile())
        return effects
    }

    /// The user's connection is gone for good.
    mutating func leave(_ userID: String) -> DAVEEffects {
        guard var member = members[userID] else { return DAVEEffects() }
        order.removeAll { $0 == userID }
        pendingSent[userID] = nil
        if member.leaf == nil {
            members[userID] = nil
        } else {
            member.present = false
            members[userID] = member
        }
        var effects = DAVEEffects()
        for id in Array(transitions.keys) { effects.append(markDone(userID, transitionID: id)) }
        guard established else { return effects.appending(reconcile()) }
        let remaining = order.filter { members[$0]?.leaf != nil }
        if remaining.count <= 1 {
            effects.append(reset(survivor: remaining.first))
        } else {
            effects.append(reconcile())
        }
        return effects
    }

    /// The deadline of `transitionID` passed: execute for whoever is there.
    mutating func transitionTimedOut(_ transitionID: UInt16) -> DAVEEffects {
        guard transitions[transitionID] != nil else { return DAVEEffects() }
        stats.transitionsTimedOut += 1
        return execute(transitionID)
    }

    // MARK: Transitions

    private mutating func markDone(_ userID: String, transitionID: UInt16) -> DAVEEffects {
        guard var transition = transitions[transitionID] else { return DAVEEffects() }
        transition.waiting.remove(userID)
        transitions[transitionID] = transition
        return transition.waiting.isEmpty ? execute(transitionID) : DAVEEffects()
    }

    private mutating func execute(_ transitionID: UInt16) -> DAVEEffects {
        guard let transition = transitions.removeValue(forKey: transitionID) else { return DAVEEffects() }
        stats.transitionsExecuted += 1
        var effects = DAVEEffects()
        for user in transition.participants where members[user]?.present == true {
            effects.send(.json(op: 22, data: .object(["transition_id": .int(Int(transitionID))])), to: user)
        }
        return effects
    }

    mutating func allocateTransition() -> UInt16 {
        let id = nextTransition
        nextTransition = nextTransition == .max ? 1 : nextTransition + 1
        return id
    }

    /// Sole-member reset (doc §5.4 E): the group is gone; the survivor starts over at epoch 1.
    private mutating func reset(survivor: String?) -> DAVEEffects {
        stats.soleMemberResets += 1
        established = false
        epoch = 0
        leaves = []
        inFlight = []
        pendingSent = [:]
        transitions = [:]
        for (id, member) in members {
            if !member.present {
                members[id] = nil
                continue
            }
            members[id]?.leaf = nil
            members[id]?.invalid = false
        }
        var effects = DAVEEffects()
        if let survivor {
            members[survivor]?.keyPackage = nil
            effects.send(.json(op: 24, data: .object(["protocol_version": .int(1), "epoch": .int(1)])), to: survivor)
            effects.send(.json(op: 21, data: .object(["transition_id": .int(0), "protocol_version": .int(1)])), to: survivor)
        }
        effects.append(reconcile())
        return effects
    }

    mutating func becomeEstablished(epoch newEpoch: UInt64) {
        established = true
        epoch = newEpoch
    }
}

extension DAVEEffects {
    func appending(_ other: DAVEEffects) -> DAVEEffects {
        var copy = self
        copy.append(other)
        return copy
    }
}

/// Why the simulated DAVE gateway refused something a client sent.
enum DAVESimError: Error, CustomStringConvertible {
    case keyPackage(userID: String, String)
    case commit(String)

    var description: String {
        switch self {
        case let .keyPackage(user, why): "key package of \(user): \(why)"
        case let .commit(why): "commit: \(why)"
        }
    }
}
