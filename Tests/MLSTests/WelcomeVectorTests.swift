import CadenceTestSupport
import MLS
import Testing

@Suite("Welcome vector tests")
struct WelcomeVectorTests {
    @Test("welcome.json: decrypt secrets and GroupInfo, verify signature and confirmation tag", SharedData.required)
    func welcome() throws {
        try Vectors.forSuite2("welcome") { v, _ in
            guard case .keyPackage(let keyPackage) = try MLSMessage(decoding: try v.hex("key_package")).content,
                case .welcome(let welcome) = try MLSMessage(decoding: try v.hex("welcome")).content
            else {
                Issue.record("key_package or welcome has the wrong wire format")
                return
            }
            let opened = try welcome.open(keyPackage: keyPackage, initPrivateKey: try v.hex("init_priv"))
            #expect(opened.groupInfo.verifySignature(suite: .p256, publicKey: try v.hex("signer_pub")))
        }
    }
}

@Suite("PassiveClient vector tests")
struct PassiveClientVectorTests {
    /// Joins from the vector's Welcome, then applies every epoch's proposals and commit,
    /// comparing epoch authenticators after each step.
    private func run(_ v: Vector, index: Int) throws {
        guard case .keyPackage(let keyPackage) = try MLSMessage(decoding: try v.hex("key_package")).content,
            case .welcome(let welcome) = try MLSMessage(decoding: try v.hex("welcome")).content
        else {
            Issue.record("case \(index): key_package or welcome has the wrong wire format")
            return
        }
        let secrets = KeyPackageSecrets(
            initKey: try HPKEKeyPair(privateKey: try v.hex("init_priv")),
            encryptionKey: try HPKEKeyPair(privateKey: try v.hex("encryption_priv")),
            signatureKey: try SignatureKeyPair(privateKey: try v.hex("signature_priv")))
        #expect(secrets.initKey.publicKey == keyPackage.initKey)
        #expect(secrets.encryptionKey.publicKey == keyPackage.leafNode.encryptionKey)
        #expect(secrets.signatureKey.publicKey == keyPackage.leafNode.signatureKey)
        var psks: [[UInt8]: [UInt8]] = [:]
        for entry in try v.list("external_psks") { psks[try entry.hex("psk_id")] = try entry.hex("psk") }
        let tree = try v.optionalHex("ratchet_tree").map { try RatchetTree(decoding: $0) }
        var group = try MLSGroup.join(welcome: welcome, keyPackage: keyPackage, secrets: secrets, ratchetTree: tree, externalPSKs: psks)
        #expect(group.epochAuthenticator == (try v.hex("initial_epoch_authenticator")), "case \(index) initial epoch authenticator")
        for (n, epoch) in try v.list("epochs").enumerated() {
            for proposal in epoch.object["proposals"] as? [String] ?? [] {
                _ = try group.process(bytes: try #require([UInt8](hex: proposal)))
            }
            let result = try group.process(bytes: try epoch.hex("commit"))
            guard case .commit = result else {
                Issue.record("case \(index) epoch \(n): commit not applied (\(result))")
                return
            }
            #expect(group.epochAuthenticator == (try epoch.hex("epoch_authenticator")), "case \(index) epoch \(n) authenticator")
        }
    }

    @Test("passive-client-welcome.json: join and match the epoch authenticator", SharedData.required)
    func passiveClientWelcome() throws {
        try Vectors.forSuite2("passive-client-welcome") { v, index in try run(v, index: index) }
    }

    @Test("passive-client-handling-commit.json: follow every commit", SharedData.required)
    func passiveClientHandlingCommit() throws {
        try Vectors.forSuite2("passive-client-handling-commit") { v, index in try run(v, index: index) }
    }
}
