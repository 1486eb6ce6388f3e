import DAVE
import MLS

extension DAVEChannel {
    /// op 28: `MLSMessage(commit) || Welcome?`. The first valid commit of the epoch is announced
    /// (op 29) to the members and its Welcome (op 30) sent to everyone it adds.
    mutating func commitWelcome(_ payload: [UInt8], from userID: String) -> DAVEEffects {
        stats.commitsReceived += 1
        let accepted: Accepted
        if ignoredCommitters.contains(userID) {
            stats.commitsDropped.append("\(userID): ignored on request")
            return DAVEEffects()
        }
        do {
            accepted = try check(payload, from: userID)
        } catch {
            stats.commitsDropped.append("\(userID): \(error)")
            return DAVEEffects()
        }
        stats.commitsAccepted += 1
        stats.commitAuthors.append(userID)
        return apply(accepted, committer: userID)
    }

    struct Accepted {
        var commit: [UInt8]
        var welcome: [UInt8]
        var proposals: [SentProposal]
    }

    /// The doc's §5.5 gateway checks, in order; the first that fails names itself.
    private func check(_ payload: [UInt8], from userID: String) throws -> Accepted {
        var reader = TLSReader(payload)
        let message = try MLSMessage(from: &reader)
        let commitBytes = Array(payload.prefix(payload.count - reader.remaining))
        let welcome = Array(payload.suffix(reader.remaining))
        guard case let .publicMessage(framed) = message.content, case let .commit(commit) = framed.content.body else {
            throw DAVESimError.commit("not a PublicMessage commit")
        }
        guard framed.content.groupID == groupID else { throw DAVESimError.commit("wrong group id") }
        guard framed.content.epoch == epoch else {
            throw DAVESimError.commit("epoch \(framed.content.epoch), current \(epoch)")
        }
        guard let member = members[userID], member.present, !member.invalid else {
            throw DAVESimError.commit("committer is not an active member")
        }
        let expectedLeaf: UInt32
        let outstanding: [SentProposal]
        if established {
            guard let leaf = member.leaf else { throw DAVESimError.commit("committer is not in the group") }
            expectedLeaf = leaf
            outstanding = inFlight
        } else {
            guard member.keyPackage != nil else { throw DAVESimError.commit("committer has no key package") }
            expectedLeaf = 0
            outstanding = pendingSent[userID] ?? []
        }
        guard framed.content.sender == .member(leafIndex: expectedLeaf) else {
            throw DAVESimError.commit("sender is not leaf \(expectedLeaf)")
        }
        var references: [[UInt8]] = []
        for entry in commit.proposals {
            guard case let .reference(reference) = entry else { throw DAVESimError.commit("proposal by value") }
            references.append(reference)
        }
        guard !references.isEmpty else { throw DAVESimError.commit("empty commit") }
        guard Set(references) == Set(outstanding.map(\.reference)), Set(references).count == references.count else {
            throw DAVESimError.commit("references \(references.count) of \(outstanding.count) proposals in flight")
        }
        let proposals = references.compactMap { reference in outstanding.first { $0.reference == reference } }
        let added = proposals.compactMap { proposal -> [UInt8]? in
            if case let .add(_, package) = proposal.kind { package } else { nil }
        }
        if added.isEmpty {
            guard welcome.isEmpty else { throw DAVESimError.commit("a Welcome without Adds") }
        } else {
            let parsed = try Welcome(decoding: welcome)
            let covered = Set(parsed.secrets.map(\.newMember))
            for package in added {
                guard let decoded = try? KeyPackage(decoding: package), covered.contains(decoded.reference(suite: suite)) else {
                    throw DAVESimError.commit("Welcome does not cover every added member")
                }
            }
        }
        return Accepted(commit: commitBytes, welcome: welcome, proposals: proposals)
    }

    private mutating func apply(_ accepted: Accepted, committer: String) -> DAVEEffects {
        let transitionID = allocateTransition()
        var announceTo = established ? committers : [committer]
        if !established {
            leaves = [committer]
            members[committer]?.leaf = 0
            members[committer]?.keyPackage = nil
        }
        var added: [String] = []
        for proposal in accepted.proposals {
            guard case let .remove(user, leaf) = proposal.kind else { continue }
            if Int(leaf) < leaves.count { leaves[Int(leaf)] = nil }
            announceTo.removeAll { $0 == user }
            if members[user]?.present == false { members[user] = nil } else { members[user]?.leaf = nil }
        }
        for proposal in accepted.proposals {
            guard case let .add(user, _) = proposal.kind else { continue }
            let index = leaves.firstIndex { $0 == nil } ?? leaves.count
            if index == leaves.count { leaves.append(user) } else { leaves[index] = user }
            members[user]?.leaf = UInt32(index)
            members[user]?.invalid = false
            members[user]?.keyPackage = nil
            added.append(user)
        }
        becomeEstablished(epoch: epoch + 1)
        inFlight = []
        pendingSent = [:]

        var effects = DAVEEffects()
        for user in announceTo {
            var commit = accepted.commit
            if corruptNextAnnouncement, user != committer, corruptionTarget.map({ $0 == user }) ?? true,
                let last = commit.indices.last
            {
                corruptNextAnnouncement = false
                commit[last] ^= 0xFF
                stats.corruptedAnnouncements.append(user)
            }
            effects.send(.binary(.announceCommit(transitionID: transitionID, commit: commit)), to: user)
        }
        for user in added {
            effects.send(.binary(.welcome(transitionID: transitionID, welcome: accepted.welcome)), to: user)
        }
        stats.announcementsSent += announceTo.count
        stats.welcomesSent += added.count
        let participants = announceTo + added
        transitions[transitionID] = Transition(participants: participants, waiting: Set(participants))
        effects.armTimeouts.append(transitionID)
        stats.epoch = epoch
        effects.append(reconcile())
        return effects
    }
}
