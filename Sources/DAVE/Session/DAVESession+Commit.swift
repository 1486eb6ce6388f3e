import MLS

extension DAVESession {
    /// op 29: the winning commit of the epoch. Our own commit adopts the state we prepared;
    /// anyone else's is processed against the cached proposals. Failure → op 31 and a reset.
    mutating func receiveCommit(transitionID: UInt16, bytes: [UInt8]) -> [DAVEOutput] {
        do throws(DAVEError) {
            guard var working = group else {
                throw .invalidCommit(transitionID: transitionID, "no local group to apply the commit to")
            }
            if !established, bytes != ownCommit {
                throw .invalidCommit(transitionID: transitionID, "a pending group accepts only its own commit")
            }
            let message: MLSMessage
            do {
                message = try MLSMessage(decoding: bytes)
            } catch {
                throw .invalidCommit(transitionID: transitionID, "undecodable: \(error)")
            }
            guard case let .publicMessage(publicMessage) = message.content, case let .commit(commit) = publicMessage.content.body else {
                throw .invalidCommit(transitionID: transitionID, "not a PublicMessage commit")
            }
            guard commit.proposals.allSatisfy({ if case .reference = $0 { true } else { false } }) else {
                throw .invalidCommit(transitionID: transitionID, "commit carries proposals by value")
            }
            let result: ProcessedMessage
            do {
                result = try working.process(message)
            } catch {
                throw .invalidCommit(transitionID: transitionID, "\(error)")
            }
            if case .removedFromGroup = result {
                // The gateway removed us; it will add our next key package.
                return (try? restartWithNewKeyPackage()) ?? []
            }
            try checkRoster(of: working, transitionID: transitionID, welcome: false)
            group = working
            established = true
            ownCommit = nil
            return enteredEpoch(transitionID: transitionID)
        } catch {
            return recover(transitionID: transitionID, from: error)
        }
    }

    /// op 30: join the group from a Welcome made for our latest key package.
    mutating func receiveWelcome(transitionID: UInt16, bytes: [UInt8]) -> [DAVEOutput] {
        do throws(DAVEError) {
            guard let keyPackage else {
                throw .invalidWelcome(transitionID: transitionID, "no key package outstanding")
            }
            let welcome: Welcome
            do {
                welcome = try Welcome(decoding: bytes)
            } catch {
                throw .invalidWelcome(transitionID: transitionID, "undecodable: \(error)")
            }
            let joined: MLSGroup
            do {
                joined = try MLSGroup.join(welcome: welcome, keyPackage: keyPackage.package, secrets: keyPackage.secrets)
            } catch {
                throw .invalidWelcome(transitionID: transitionID, "\(error)")
            }
            guard let externalSender, joined.externalSenders == [externalSender] else {
                throw .invalidWelcome(transitionID: transitionID, "group's external_senders is not exactly the op 25 sender")
            }
            guard joined.groupID == Self.bigEndian64(channelID) else {
                throw .invalidWelcome(transitionID: transitionID, "group id is not the channel id")
            }
            try checkRoster(of: joined, transitionID: transitionID, welcome: true)
            group = joined
            established = true
            ownCommit = nil
            return enteredEpoch(transitionID: transitionID)
        } catch {
            return recover(transitionID: transitionID, from: error)
        }
    }

    /// Every member must have a DAVE identity, and no user id may appear twice.
    func checkRoster(of group: MLSGroup, transitionID: UInt16, welcome: Bool) throws(DAVEError) {
        var seen = Set<UInt64>()
        for member in group.members {
            guard let user = Self.userID(of: member.leaf.credential), seen.insert(user).inserted else {
                let reason = "leaf \(member.leafIndex) has a missing or duplicate user id"
                throw welcome
                    ? .invalidWelcome(transitionID: transitionID, reason)
                    : .invalidCommit(transitionID: transitionID, reason)
            }
        }
    }

    /// A new epoch is in place: install receive ratchets now, and prepare (or, for id 0,
    /// execute) the transition of the send side.
    mutating func enteredEpoch(transitionID: UInt16) -> [DAVEOutput] {
        var outputs: [DAVEOutput] = [.receiveRatchets(receiveRatchets())]
        if transitionID == 0 {
            outputs += execute(version: protocolVersion)
        } else {
            pendingTransitions[transitionID] = protocolVersion
            outputs.append(.transitionReady(transitionID))
        }
        return outputs
    }

    /// The ratchet of every other member for the current epoch.
    func receiveRatchets() -> [UInt64: KeyRatchet] {
        var ratchets: [UInt64: KeyRatchet] = [:]
        for user in memberUserIDs where user != userID {
            if let ratchet = ratchet(for: user) { ratchets[user] = ratchet }
        }
        return ratchets
    }

    /// `MLS-Exporter("Discord Secure Frames v0", LE64(user), 16)` of the established group.
    package func ratchet(for user: UInt64) -> KeyRatchet? {
        guard established, let group else { return nil }
        return KeyRatchet(baseSecret: group.export(label: Self.exporterLabel, context: Self.littleEndian64(user), length: 16))
    }
}
