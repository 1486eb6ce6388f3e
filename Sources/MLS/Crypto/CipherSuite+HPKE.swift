import Crypto
import Foundation

/// An HPKE (DHKEM P-256) key pair in MLS wire form.
package struct HPKEKeyPair: Sendable, Equatable {
    /// 32-byte big-endian private scalar (SerializePrivateKey).
    package let privateKey: [UInt8]
    /// 65-byte uncompressed public point (SerializePublicKey).
    package let publicKey: [UInt8]

    package static func generate() -> HPKEKeyPair {
        let key = P256.KeyAgreement.PrivateKey()
        return HPKEKeyPair(privateKey: Array(key.rawRepresentation), publicKey: Array(key.publicKey.x963Representation))
    }

    package init(privateKey: [UInt8]) throws(MLSError) {
        guard let key = try? P256.KeyAgreement.PrivateKey(rawRepresentation: privateKey) else {
            throw .invalidKey("HPKE private key")
        }
        self.privateKey = privateKey
        publicKey = Array(key.publicKey.x963Representation)
    }

    init(privateKey: [UInt8], publicKey: [UInt8]) {
        self.privateKey = privateKey
        self.publicKey = publicKey
    }
}

/// `HPKECiphertext`: the KEM output and the AEAD ciphertext.
package struct HPKECiphertext: MLSCodable, Equatable {
    package var kemOutput: [UInt8]
    package var ciphertext: [UInt8]

    package init(kemOutput: [UInt8], ciphertext: [UInt8]) {
        self.kemOutput = kemOutput
        self.ciphertext = ciphertext
    }

    package init(from r: inout TLSReader) throws(MLSCodecError) {
        kemOutput = try r.opaque("HPKECiphertext.kem_output")
        ciphertext = try r.opaque("HPKECiphertext.ciphertext")
    }

    package func encode(to w: inout TLSWriter) {
        w.opaque(kemOutput)
        w.opaque(ciphertext)
    }
}

extension CipherSuite {
    private static let p256Order: [UInt8] = [
        0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84, 0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51
    ]

    /// RFC 9180 DeriveKeyPair for DHKEM(P-256, HKDF-SHA256): rejection sampling of the scalar.
    package func deriveKeyPair(ikm: [UInt8]) throws(MLSError) -> HPKEKeyPair {
        let suiteID: [UInt8] = Array("KEM".utf8) + [0x00, 0x10]
        let prefix = Array("HPKE-v1".utf8) + suiteID
        let prk = extract(salt: [], ikm: prefix + Array("dkp_prk".utf8) + ikm)
        for counter in 0...255 {
            let info: [UInt8] = [0x00, 0x20] + prefix + Array("candidate".utf8) + [UInt8(counter)]
            let candidate = expand(prk: prk, info: info, length: 32)
            let isZero = candidate.allSatisfy { $0 == 0 }
            if !isZero && candidate.lexicographicallyPrecedes(Self.p256Order) {
                return try HPKEKeyPair(privateKey: candidate)
            }
        }
        throw .invalidKey("DeriveKeyPair exhausted candidates")
    }

    static func encryptContext(label: String, context: [UInt8]) -> Data {
        var w = TLSWriter()
        w.opaque(Array("MLS 1.0 \(label)".utf8))
        w.opaque(context)
        return Data(w.bytes)
    }

    /// EncryptWithLabel: HPKE SealBase to `publicKey` with info = EncryptContext and empty AAD.
    package func encryptWithLabel(publicKey: [UInt8], label: String, context: [UInt8], plaintext: [UInt8]) throws(MLSError)
        -> HPKECiphertext
    {
        try sealBase(publicKey: publicKey, info: Array(Self.encryptContext(label: label, context: context)), plaintext: plaintext)
    }

    /// RFC 9180 SealBase (single shot, empty AAD). Written out rather than using swift-crypto's
    /// `HPKE.Sender` because its ephemeral key generation costs twice our DeriveKeyPair on random
    /// input, and commits seal once per member; `decryptWithLabel` (swift-crypto) cross-checks it.
    func sealBase(publicKey: [UInt8], info: [UInt8], plaintext: [UInt8]) throws(MLSError) -> HPKECiphertext {
        guard let recipient = try? P256.KeyAgreement.PublicKey(x963Representation: publicKey) else {
            throw .invalidKey("HPKE public key")
        }
        let ephemeral = try deriveKeyPair(ikm: randomBytes(32))
        guard let ephemeralKey = try? P256.KeyAgreement.PrivateKey(rawRepresentation: ephemeral.privateKey),
            let dh = try? ephemeralKey.sharedSecretFromKeyAgreement(with: recipient)
        else { throw .invalidKey("HPKE key agreement") }
        let kemSuite: [UInt8] = Array("KEM".utf8) + [0x00, 0x10]
        let hpkeSuite: [UInt8] = Array("HPKE".utf8) + [0x00, 0x10, 0x00, 0x01, 0x00, 0x01]
        func labeledExtract(_ suiteID: [UInt8], salt: [UInt8], _ label: String, _ ikm: [UInt8]) -> [UInt8] {
            extract(salt: salt, ikm: Array("HPKE-v1".utf8) + suiteID + Array(label.utf8) + ikm)
        }
        func labeledExpand(_ suiteID: [UInt8], prk: [UInt8], _ label: String, _ info: [UInt8], _ length: Int) -> [UInt8] {
            let header: [UInt8] = [UInt8(length >> 8), UInt8(length & 0xff)]
            return expand(prk: prk, info: header + Array("HPKE-v1".utf8) + suiteID + Array(label.utf8) + info, length: length)
        }
        let dhBytes = dh.withUnsafeBytes { Array($0) }
        let eaePRK = labeledExtract(kemSuite, salt: [], "eae_prk", dhBytes)
        let shared = labeledExpand(kemSuite, prk: eaePRK, "shared_secret", ephemeral.publicKey + publicKey, 32)
        let keyScheduleContext =
            [0x00] + labeledExtract(hpkeSuite, salt: [], "psk_id_hash", [])
            + labeledExtract(hpkeSuite, salt: [], "info_hash", info)
        let secret = labeledExtract(hpkeSuite, salt: shared, "secret", [])
        let key = labeledExpand(hpkeSuite, prk: secret, "key", keyScheduleContext, keyLength)
        let nonce = labeledExpand(hpkeSuite, prk: secret, "base_nonce", keyScheduleContext, nonceLength)
        return HPKECiphertext(kemOutput: ephemeral.publicKey, ciphertext: try seal(key: key, nonce: nonce, aad: [], plaintext: plaintext))
    }

    /// DecryptWithLabel; any failure is reported as `decryptionFailed(what)`.
    package func decryptWithLabel(privateKey: [UInt8], label: String, context: [UInt8], ciphertext: HPKECiphertext, what: String)
        throws(MLSError) -> [UInt8]
    {
        guard let key = try? P256.KeyAgreement.PrivateKey(rawRepresentation: privateKey) else {
            throw .invalidKey("HPKE private key")
        }
        do {
            var recipient = try HPKE.Recipient(
                privateKey: key, ciphersuite: Self.hpkeSuite,
                info: Self.encryptContext(label: label, context: context),
                encapsulatedKey: Data(ciphertext.kemOutput))
            return Array(try recipient.open(ciphertext.ciphertext, authenticating: Data()))
        } catch {
            throw .decryptionFailed(what)
        }
    }
}
