import MLS

extension DAVESession {
    /// op 4: version ≥ 1 starts MLS with a fresh key package; 0 means plain media.
    mutating func start(protocolVersion version: Int) throws(DAVEError) -> [DAVEOutput] {
        // A new session: whatever group and transitions the last one had are gone.
        protocolVersion = version
        pendingTransitions = [:]
        privacyCode = nil
        let stopEncrypting: [DAVEOutput] = isEncrypting ? [.sendRatchet(nil)] : []
        isEncrypting = false
        guard version >= 1 else {
            resetMLS()
            return stopEncrypting
        }
        return try stopEncrypting + restartWithNewKeyPackage()
    }

    /// op 24: epoch 1 means the group is being (re)created (sole-member reset or upgrade).
    /// Later epochs announce a version change of the existing group: nothing to do for v1.
    mutating func prepareEpoch(_ prepare: PrepareEpoch) throws(DAVEError) -> [DAVEOutput] {
        guard prepare.epoch == 1 else { return [] }
        protocolVersion = prepare.protocolVersion
        guard prepare.protocolVersion >= 1 else {
            resetMLS()
            return []
        }
        return try restartWithNewKeyPackage()
    }

    /// op 25: the gateway's external sender. Parsing must consume the payload exactly.
    mutating func receiveExternalSender(_ payload: [UInt8]) throws(DAVEError) -> [DAVEOutput] {
        let sender: ExternalSender
        do {
            sender = try ExternalSender(decoding: payload)
        } catch {
            throw .malformedPayload(opcode: DAVEOpcode.externalSender.rawValue, "ExternalSender: \(error)")
        }
        guard case .basic = sender.credential else {
            throw .malformedPayload(opcode: DAVEOpcode.externalSender.rawValue, "external sender credential is not basic")
        }
        externalSender = sender
        if group == nil, keyPackage != nil { try createPendingGroup() }
        return []
    }

    /// Forgets all MLS state but keeps the external sender and the signature key.
    mutating func resetMLS() {
        group = nil
        established = false
        keyPackage = nil
        ownCommit = nil
    }

    /// Reset, a new key package (op 26) and, when the external sender is known, a new pending group.
    mutating func restartWithNewKeyPackage() throws(DAVEError) -> [DAVEOutput] {
        resetMLS()
        let created: (KeyPackage, KeyPackageSecrets)
        do {
            created = try KeyPackage.create(suite: .p256, identity: Self.bigEndian64(userID), signatureKey: signatureKey)
        } catch {
            throw .mls(what: "creating a key package", error)
        }
        keyPackage = created
        if externalSender != nil { try createPendingGroup() }
        return [.send(.keyPackage(created.0.encoded))]
    }

    /// The local group at epoch 0 with this client as its only member and the external sender
    /// in its context, so that proposals from the gateway verify and a commit can add others.
    mutating func createPendingGroup() throws(DAVEError) {
        guard let keyPackage, let externalSender else { return }
        var writer = TLSWriter()
        writer.vector([externalSender])
        do {
            group = try MLSGroup.create(
                groupID: Self.bigEndian64(channelID), keyPackage: keyPackage.package,
                secrets: keyPackage.secrets,
                extensions: [Extension(type: Extension.externalSenders, data: writer.bytes)])
        } catch {
            throw .mls(what: "creating the pending group", error)
        }
        established = false
    }

    /// After a failed commit or Welcome: op 31, reset, new key package (and pending group).
    mutating func recover(transitionID: UInt16, from error: DAVEError) -> [DAVEOutput] {
        var outputs: [DAVEOutput] = [.invalidCommitWelcome(transitionID), .recovered(error)]
        pendingTransitions[transitionID] = nil
        do {
            outputs += try restartWithNewKeyPackage()
        } catch {
            // Key generation itself failed: nothing more can be offered; report it too.
            outputs.append(.recovered(error))
        }
        return outputs
    }
}
