/// The secrets of one epoch, derived by the RFC 9420 §8 key schedule.
package struct EpochSecrets: Sendable, Equatable {
    package let joinerSecret: [UInt8]
    package let welcomeSecret: [UInt8]
    package let epochSecret: [UInt8]
    package let senderDataSecret: [UInt8]
    package let encryptionSecret: [UInt8]
    package let exporterSecret: [UInt8]
    package let epochAuthenticator: [UInt8]
    package let externalSecret: [UInt8]
    package let confirmationKey: [UInt8]
    package let membershipKey: [UInt8]
    package let resumptionPSK: [UInt8]
    package let initSecret: [UInt8]

    /// Derives everything below `epoch_secret`.
    init(suite: CipherSuite, joinerSecret: [UInt8], welcomeSecret: [UInt8], epochSecret: [UInt8]) {
        self.joinerSecret = joinerSecret
        self.welcomeSecret = welcomeSecret
        self.epochSecret = epochSecret
        senderDataSecret = suite.deriveSecret(epochSecret, label: "sender data")
        encryptionSecret = suite.deriveSecret(epochSecret, label: "encryption")
        exporterSecret = suite.deriveSecret(epochSecret, label: "exporter")
        epochAuthenticator = suite.deriveSecret(epochSecret, label: "authentication")
        externalSecret = suite.deriveSecret(epochSecret, label: "external")
        confirmationKey = suite.deriveSecret(epochSecret, label: "confirm")
        membershipKey = suite.deriveSecret(epochSecret, label: "membership")
        resumptionPSK = suite.deriveSecret(epochSecret, label: "resumption")
        initSecret = suite.deriveSecret(epochSecret, label: "init")
    }

    /// The full schedule from the previous epoch's init secret.
    package static func derive(
        suite: CipherSuite, initSecret: [UInt8], commitSecret: [UInt8], pskSecret: [UInt8],
        context: GroupContext
    ) -> EpochSecrets {
        let joiner = suite.expandWithLabel(
            secret: suite.extract(salt: initSecret, ikm: commitSecret),
            label: "joiner", context: context.encoded, length: suite.hashLength)
        return fromJoiner(suite: suite, joinerSecret: joiner, pskSecret: pskSecret, context: context)
    }

    /// The schedule as a new member computes it from the Welcome's joiner secret.
    package static func fromJoiner(suite: CipherSuite, joinerSecret: [UInt8], pskSecret: [UInt8], context: GroupContext) -> EpochSecrets {
        let member = suite.extract(salt: joinerSecret, ikm: pskSecret)
        let welcome = suite.deriveSecret(member, label: "welcome")
        let epoch = suite.expandWithLabel(secret: member, label: "epoch", context: context.encoded, length: suite.hashLength)
        return EpochSecrets(suite: suite, joinerSecret: joinerSecret, welcomeSecret: welcome, epochSecret: epoch)
    }

    /// Epoch 0 of a new group starts from a random epoch secret (RFC 9420 §11).
    static func initial(suite: CipherSuite, epochSecret: [UInt8]) -> EpochSecrets {
        EpochSecrets(suite: suite, joinerSecret: [], welcomeSecret: [], epochSecret: epochSecret)
    }

    /// MLS-Exporter(label, context, length).
    package func export(suite: CipherSuite, label: String, context: [UInt8], length: Int) -> [UInt8] {
        suite.expandWithLabel(
            secret: suite.deriveSecret(exporterSecret, label: label), label: "exported",
            context: suite.hash(context), length: length)
    }

    /// The external HPKE public key derived from `external_secret`.
    package func externalPublicKey(suite: CipherSuite) throws(MLSError) -> [UInt8] {
        try suite.deriveKeyPair(ikm: externalSecret).publicKey
    }
}

/// Welcome AEAD key and nonce derived from the welcome secret.
func welcomeKeyAndNonce(suite: CipherSuite, welcomeSecret: [UInt8]) -> (key: [UInt8], nonce: [UInt8]) {
    (
        suite.expandWithLabel(secret: welcomeSecret, label: "key", context: [], length: suite.keyLength),
        suite.expandWithLabel(secret: welcomeSecret, label: "nonce", context: [], length: suite.nonceLength)
    )
}

extension CipherSuite {
    /// RFC 9420 §8.4 psk_secret from (id, psk) pairs in order; all zeros when the list is empty.
    package func pskSecret(_ psks: [(id: PreSharedKeyID, psk: [UInt8])]) -> [UInt8] {
        var secret = zeroSecret
        for (index, entry) in psks.enumerated() {
            let extracted = extract(salt: [], ikm: entry.psk)
            var w = TLSWriter()
            entry.id.encode(to: &w)
            w.u16(UInt16(truncatingIfNeeded: index))
            w.u16(UInt16(truncatingIfNeeded: psks.count))
            let input = expandWithLabel(secret: extracted, label: "derived psk", context: w.bytes, length: hashLength)
            secret = extract(salt: input, ikm: secret)
        }
        return secret
    }
}

/// Confirmed and interim transcript hash updates (RFC 9420 §8.2).
package enum TranscriptHash {
    package static func confirmed(suite: CipherSuite, interimBefore: [UInt8], content: AuthenticatedContent) -> [UInt8] {
        suite.hash(interimBefore + content.confirmedTranscriptHashInput)
    }

    package static func interim(suite: CipherSuite, confirmed: [UInt8], confirmationTag: [UInt8]) -> [UInt8] {
        var w = TLSWriter()
        w.opaque(confirmationTag)
        return suite.hash(confirmed + w.bytes)
    }
}
