import Crypto
import Foundation

/// A P-256 ECDSA signing key pair in MLS wire form.
public struct SignatureKeyPair: Sendable {
    /// 32-byte big-endian private scalar.
    package let privateKey: [UInt8]
    /// 65-byte uncompressed public point.
    package let publicKey: [UInt8]

    /// A fresh random key pair.
    public static func generate() -> SignatureKeyPair {
        let key = P256.Signing.PrivateKey()
        return SignatureKeyPair(privateKey: Array(key.rawRepresentation), publicKey: Array(key.publicKey.x963Representation))
    }

    /// Imports a private scalar and derives its public key.
    package init(privateKey: [UInt8]) throws(MLSError) {
        guard let key = try? P256.Signing.PrivateKey(rawRepresentation: privateKey) else {
            throw .invalidKey("signature private key")
        }
        self.privateKey = privateKey
        publicKey = Array(key.publicKey.x963Representation)
    }

    private init(privateKey: [UInt8], publicKey: [UInt8]) {
        self.privateKey = privateKey
        self.publicKey = publicKey
    }
}

extension CipherSuite {
    static func signContent(label: String, content: [UInt8]) -> [UInt8] {
        var w = TLSWriter()
        w.opaque(Array("MLS 1.0 \(label)".utf8))
        w.opaque(content)
        return w.bytes
    }

    /// SignWithLabel: ECDSA-SHA256 over `SignContent`, DER-encoded.
    package func signWithLabel(privateKey: [UInt8], label: String, content: [UInt8]) throws(MLSError) -> [UInt8] {
        guard let key = try? P256.Signing.PrivateKey(rawRepresentation: privateKey) else {
            throw .invalidKey("signature private key")
        }
        let message = Self.signContent(label: label, content: content)
        guard let signature = try? key.signature(for: message) else { throw .invalidKey("signing failed") }
        return Array(signature.derRepresentation)
    }

    /// VerifyWithLabel; malformed keys or signatures simply do not verify.
    package func verifyWithLabel(publicKey: [UInt8], label: String, content: [UInt8], signature: [UInt8]) -> Bool {
        guard let key = try? P256.Signing.PublicKey(x963Representation: publicKey),
            let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature)
        else { return false }
        return key.isValidSignature(sig, for: Self.signContent(label: label, content: content))
    }
}
