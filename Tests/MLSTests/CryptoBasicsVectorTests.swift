import CadenceTestSupport
import MLS
import Testing

@Suite("CryptoBasics vector tests")
struct CryptoBasicsVectorTests {
    @Test("crypto-basics.json: labeled helpers of cipher suite 2", SharedData.required)
    func cryptoBasics() throws {
        let suite = CipherSuite.p256
        try Vectors.forSuite2("crypto-basics") { v, _ in
            let ref = try v.child("ref_hash")
            #expect(suite.refHash(label: try ref.string("label"), value: try ref.hex("value")) == (try ref.hex("out")))

            let ewl = try v.child("expand_with_label")
            #expect(
                suite.expandWithLabel(
                    secret: try ewl.hex("secret"), label: try ewl.string("label"),
                    context: try ewl.hex("context"), length: try ewl.int("length")) == (try ewl.hex("out")))

            let ds = try v.child("derive_secret")
            #expect(suite.deriveSecret(try ds.hex("secret"), label: try ds.string("label")) == (try ds.hex("out")))

            let dts = try v.child("derive_tree_secret")
            #expect(
                suite.deriveTreeSecret(
                    try dts.hex("secret"), label: try dts.string("label"),
                    generation: UInt32(try dts.uint64("generation")),
                    length: try dts.int("length")) == (try dts.hex("out")))

            let swl = try v.child("sign_with_label")
            let label = try swl.string("label"), content = try swl.hex("content"), pub = try swl.hex("pub")
            #expect(suite.verifyWithLabel(publicKey: pub, label: label, content: content, signature: try swl.hex("signature")))
            let fresh = try suite.signWithLabel(privateKey: try swl.hex("priv"), label: label, content: content)
            #expect(suite.verifyWithLabel(publicKey: pub, label: label, content: content, signature: fresh))
            #expect(!suite.verifyWithLabel(publicKey: pub, label: label + "x", content: content, signature: fresh))

            let ewl2 = try v.child("encrypt_with_label")
            let priv = try ewl2.hex("priv"), elabel = try ewl2.string("label"), context = try ewl2.hex("context")
            let given = HPKECiphertext(kemOutput: try ewl2.hex("kem_output"), ciphertext: try ewl2.hex("ciphertext"))
            #expect(
                try suite.decryptWithLabel(privateKey: priv, label: elabel, context: context, ciphertext: given, what: "vector")
                    == (try ewl2.hex("plaintext")))
            let sealed = try suite.encryptWithLabel(
                publicKey: try ewl2.hex("pub"), label: elabel, context: context,
                plaintext: try ewl2.hex("plaintext"))
            #expect(
                try suite.decryptWithLabel(privateKey: priv, label: elabel, context: context, ciphertext: sealed, what: "fresh")
                    == (try ewl2.hex("plaintext")))
        }
    }
}
