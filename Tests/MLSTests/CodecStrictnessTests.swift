import CadenceTestSupport
import MLS
import Testing

@Suite("Codec strictness tests")
struct CodecStrictnessTests {
    @Test("deserialization.json: every vector length header decodes to its length and re-encodes", SharedData.required)
    func varintHeaders() throws {
        let vectors = try Vectors.load("deserialization")
        for v in vectors {
            let header = try v.hex("vlbytes_header")
            var reader = TLSReader(header)
            #expect(try reader.varint("header") == (try v.int("length")))
            try reader.finish("header")
            var writer = TLSWriter()
            writer.varint(try v.int("length"))
            #expect(writer.bytes == header)
        }
        print("deserialization: \(vectors.count) suite-independent cases passed")
    }

    @Test("non-minimal and reserved varints are rejected")
    func badVarints() {
        var nonMinimal = TLSReader([0x40, 0x05])
        #expect(throws: MLSCodecError.invalidVarint(field: "len")) { _ = try nonMinimal.varint("len") }
        var reserved = TLSReader([0xc0, 0, 0, 0, 0, 0, 0, 1])
        #expect(throws: MLSCodecError.invalidVarint(field: "len")) { _ = try reserved.varint("len") }
    }

    @Test("a length beyond the input and trailing bytes are typed errors")
    func lengthsAndTrailingBytes() {
        #expect(throws: MLSCodecError.truncated(field: "Welcome.cipher_suite", needed: 1)) {
            _ = try Welcome(decoding: [0x00])
        }
        var w = TLSWriter()
        Lifetime(notBefore: 1, notAfter: 2).encode(to: &w)
        #expect(throws: MLSCodecError.trailingBytes(field: "Lifetime", count: 1)) { _ = try Lifetime(decoding: w.bytes + [0]) }
        #expect(throws: MLSCodecError.truncated(field: "ExternalSender.signature_key", needed: 3)) {
            _ = try ExternalSender(decoding: [0x05, 1, 2])
        }
        #expect(throws: MLSCodecError.invalidValue(field: "Commit.path", reason: "optional flag 2")) {
            _ = try Commit(decoding: [0x00, 0x02])
        }
    }
}
