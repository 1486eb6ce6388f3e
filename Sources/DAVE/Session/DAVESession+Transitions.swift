extension DAVESession {
    /// op 21: remember the transition; a downgrade opens receive passthrough at once.
    mutating func prepareTransition(_ prepare: PrepareTransition) -> [DAVEOutput] {
        var outputs: [DAVEOutput] = []
        if prepare.protocolVersion == 0 { outputs.append(.receivePassthrough(true)) }
        if prepare.transitionID == 0 {
            outputs += execute(version: prepare.protocolVersion)
        } else {
            pendingTransitions[prepare.transitionID] = prepare.protocolVersion
            outputs.append(.transitionReady(prepare.transitionID))
        }
        return outputs
    }

    /// op 22: switch the send side if the transition is one we prepared; ignore anything else.
    mutating func executeTransition(_ id: UInt16) -> [DAVEOutput] {
        guard let version = pendingTransitions.removeValue(forKey: id) else { return [] }
        return execute(version: version)
    }

    /// Version 0: plain Opus from now on and no MLS. Version ≥ 1: encrypt with this epoch's
    /// ratchet if a group is established, else stay in passthrough (alone, or still joining).
    mutating func execute(version: Int) -> [DAVEOutput] {
        guard version >= 1 else {
            protocolVersion = 0
            resetMLS()
            isEncrypting = false
            privacyCode = nil
            return [.sendRatchet(nil)]
        }
        protocolVersion = version
        guard let own = ratchet(for: userID), let authenticator = epochAuthenticator else {
            let wasEncrypting = isEncrypting
            isEncrypting = false
            privacyCode = nil
            return wasEncrypting ? [.sendRatchet(nil)] : []
        }
        isEncrypting = true
        privacyCode = PrivacyCode.displayable(authenticator)
        return [.sendRatchet(own), .receivePassthrough(false)]
    }
}
