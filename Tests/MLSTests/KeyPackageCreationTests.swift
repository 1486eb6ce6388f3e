import MLS
import Testing

@Suite("KeyPackage creation tests")
struct KeyPackageCreationTests {
    @Test("a DAVE-shaped key package: bare struct starting 0001 0002, about 391-394 bytes, valid")
    func daveShape() throws {
        let userID: [UInt8] = [0, 0, 0, 0, 0x49, 0x96, 0x02, 0xd2]
        let (keyPackage, secrets) = try KeyPackage.create(suite: .p256, identity: userID, signatureKey: .generate())
        let bytes = keyPackage.encoded
        #expect(Array(bytes.prefix(4)) == [0x00, 0x01, 0x00, 0x02])
        #expect((385...394).contains(bytes.count), "size \(bytes.count)")
        #expect(try KeyPackage(decoding: bytes) == keyPackage)
        try keyPackage.validate(suite: .p256)
        #expect(secrets.initKey.publicKey == keyPackage.initKey)
        #expect(keyPackage.leafNode.credential == .basic(identity: userID))
        #expect(keyPackage.leafNode.source == .keyPackage(Lifetime(notBefore: 0, notAfter: .max)))
    }

    @Test("tampering with a key package is caught by the named check")
    func tampering() throws {
        let (keyPackage, _) = try KeyPackage.create(suite: .p256, identity: [1], signatureKey: .generate())
        var otherInit = keyPackage
        otherInit.initKey = HPKEKeyPair.generate().publicKey
        #expect(throws: MLSError.invalid(.keyPackageSignature, "KeyPackageTBS signature does not verify")) {
            try otherInit.validate(suite: .p256)
        }
        var otherSuite = keyPackage
        otherSuite.cipherSuite = 1
        #expect(throws: MLSError.invalid(.cipherSuite, "key package suite 1")) { try otherSuite.validate(suite: .p256) }
        #expect(throws: MLSError.unsupportedCipherSuite(1)) { _ = try CipherSuite(id: 1) }
    }
}
