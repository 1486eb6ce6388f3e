import Crypto
import Foundation

/// The cryptographic operations of MLS cipher suite 2,
/// MLS_128_DHKEMP256_AES128GCM_SHA256_P256, including the RFC 9420 labeled helpers.
///
/// Keys cross this API as byte strings in the MLS wire formats: HPKE and signature public keys
/// are uncompressed SEC1 points (65 bytes), private keys are 32-byte big-endian scalars, and
/// signatures are DER-encoded ECDSA.
public struct CipherSuite: Sendable, Equatable {
    /// The wire value, always 2.
    package let id: UInt16
    /// Hash / KDF output size (Nh), AEAD key size (Nk) and nonce size (Nn).
    package let hashLength = 32, keyLength = 16, nonceLength = 12

    /// The only suite implemented.
    public static let p256 = CipherSuite(uncheckedID: 2)

    private init(uncheckedID: UInt16) { id = uncheckedID }

    package init(id: UInt16) throws(MLSError) {
        guard id == 2 else { throw .unsupportedCipherSuite(id) }
        self.id = id
    }

    static let hpkeSuite = HPKE.Ciphersuite(kem: .P256_HKDF_SHA256, kdf: .HKDF_SHA256, aead: .AES_GCM_128)

    // MARK: Hash, MAC, KDF

    package func hash(_ data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: data)) }

    package func mac(key: [UInt8], data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: SymmetricKey(data: key)))
    }

    /// HKDF-Extract; an empty salt behaves as Nh zero bytes, as HMAC pads keys with zeros.
    package func extract(salt: [UInt8], ikm: [UInt8]) -> [UInt8] { mac(key: salt, data: ikm) }

    package func expand(prk: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        HKDF<SHA256>.expand(pseudoRandomKey: prk, info: info, outputByteCount: length)
            .withUnsafeBytes { Array($0) }
    }

    package func expandWithLabel(secret: [UInt8], label: String, context: [UInt8], length: Int) -> [UInt8] {
        var w = TLSWriter()
        w.u16(UInt16(truncatingIfNeeded: length))
        w.opaque(Array("MLS 1.0 \(label)".utf8))
        w.opaque(context)
        return expand(prk: secret, info: w.bytes, length: length)
    }

    package func deriveSecret(_ secret: [UInt8], label: String) -> [UInt8] {
        expandWithLabel(secret: secret, label: label, context: [], length: hashLength)
    }

    package func deriveTreeSecret(_ secret: [UInt8], label: String, generation: UInt32, length: Int) -> [UInt8] {
        var w = TLSWriter()
        w.u32(generation)
        return expandWithLabel(secret: secret, label: label, context: w.bytes, length: length)
    }

    /// RefHash: `label` is used as given (callers pass e.g. "MLS 1.0 KeyPackage Reference").
    package func refHash(label: String, value: [UInt8]) -> [UInt8] {
        var w = TLSWriter()
        w.opaque(Array(label.utf8))
        w.opaque(value)
        return hash(w.bytes)
    }

    package var zeroSecret: [UInt8] { [UInt8](repeating: 0, count: hashLength) }

    // MARK: AEAD

    package func seal(key: [UInt8], nonce: [UInt8], aad: [UInt8], plaintext: [UInt8]) throws(MLSError) -> [UInt8] {
        do {
            let box = try AES.GCM.seal(
                plaintext, using: SymmetricKey(data: key),
                nonce: AES.GCM.Nonce(data: nonce), authenticating: aad)
            return Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw .invalidKey("AEAD key or nonce")
        }
    }

    package func open(key: [UInt8], nonce: [UInt8], aad: [UInt8], ciphertext: [UInt8], what: String) throws(MLSError) -> [UInt8] {
        guard ciphertext.count >= 16 else { throw .decryptionFailed(what) }
        do {
            let box = try AES.GCM.SealedBox(
                nonce: AES.GCM.Nonce(data: nonce),
                ciphertext: ciphertext.dropLast(16), tag: ciphertext.suffix(16))
            return Array(try AES.GCM.open(box, using: SymmetricKey(data: key), authenticating: aad))
        } catch {
            throw .decryptionFailed(what)
        }
    }
}
