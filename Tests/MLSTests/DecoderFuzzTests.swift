import CadenceTestSupport
import Foundation
import MLS
import Testing

/// SplitMix64: a tiny deterministic generator so a failing input can be reproduced from its seed.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private func mutate(_ input: [UInt8], using rng: inout SplitMix64) -> [UInt8] {
    var bytes = input
    for _ in 0..<Int.random(in: 1...4, using: &rng) {
        guard !bytes.isEmpty else { return [UInt8.random(in: 0...255, using: &rng)] }
        let i = Int.random(in: 0..<bytes.count, using: &rng)
        switch Int.random(in: 0..<7, using: &rng) {
        case 0: bytes[i] ^= 1 << UInt8.random(in: 0...7, using: &rng)
        case 1: bytes[i] = UInt8.random(in: 0...255, using: &rng)
        case 2: bytes.insert(UInt8.random(in: 0...255, using: &rng), at: i)
        case 3: bytes.remove(at: i)
        case 4: bytes.removeLast(Int.random(in: 0...(bytes.count - i), using: &rng))
        case 5: bytes[i] = [0x00, 0x3f, 0x40, 0x7f, 0x80, 0xbf, 0xc0, 0xff].randomElement(using: &rng) ?? 0
        default: bytes.append(contentsOf: bytes[i..<min(bytes.count, i + 8)])
        }
    }
    return bytes
}

@Suite("Decoder fuzz tests")
struct DecoderFuzzTests {
    /// Every decoder either succeeds or throws `MLSCodecError`/`MLSError`; reaching the end
    /// of the loop proves no input trapped or hung.
    @Test("120k random and mutated inputs never crash or hang the decoders", SharedData.required)
    func fuzzDecoders() throws {
        var seeds: [[UInt8]] = []
        for v in try Vectors.load("messages").prefix(40) {
            for key in [
                "mls_welcome", "mls_group_info", "mls_key_package", "public_message_proposal",
                "public_message_commit", "private_message", "ratchet_tree", "group_secrets", "commit"
            ] {
                seeds.append(try v.hex(key))
            }
        }
        var rng = SplitMix64(state: 0xC0FFEE)
        var decoded = 0, rejected = 0
        let started = Date()
        for round in 0..<120_000 {
            let input: [UInt8]
            if round % 10 == 0 {
                input = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            } else {
                input = mutate(seeds[Int.random(in: 0..<seeds.count, using: &rng)], using: &rng)
            }
            var ok = false
            if (try? MLSMessage(decoding: input)) != nil { ok = true }
            if round % 4 == 0 {
                if (try? RatchetTree(decoding: input)) != nil { ok = true }
                if (try? Commit(decoding: input)) != nil { ok = true }
                if (try? GroupSecrets(decoding: input)) != nil { ok = true }
            }
            if ok { decoded += 1 } else { rejected += 1 }
        }
        let seconds = Date().timeIntervalSince(started)
        print("fuzz: 120000 inputs, \(decoded) decoded, \(rejected) rejected, \(String(format: "%.1f", seconds)) s")
        #expect(rejected > 0 && decoded > 0)
    }

    @Test("mutated commits never crash group processing and never advance the epoch wrongly")
    func fuzzCommitProcessing() throws {
        let (akp, asec) = try KeyPackage.create(suite: .p256, identity: [1], signatureKey: .generate())
        let (bkp, bsec) = try KeyPackage.create(suite: .p256, identity: [2], signatureKey: .generate())
        var alice = try MLSGroup.create(groupID: [9], keyPackage: akp, secrets: asec)
        let add = try alice.commit(adding: [bkp])
        _ = try alice.process(add.commit)
        let bob = try MLSGroup.join(welcome: try #require(add.welcome), keyPackage: bkp, secrets: bsec)
        let commit = try alice.commit(forcePath: true).commit.encoded
        var rng = SplitMix64(state: 42)
        var accepted = 0, tried = 0
        for _ in 0..<1_500 {
            let mutated = mutate(commit, using: &rng)
            guard mutated != commit else { continue }
            tried += 1
            var copy = bob
            if (try? copy.process(bytes: mutated)) != nil { accepted += 1 }
        }
        // Every byte of a PublicMessage commit is covered by the signature or the tags.
        #expect(tried > 1_000)
        #expect(accepted == 0)
        var original = bob
        _ = try original.process(bytes: commit)
        #expect(original.epoch == bob.epoch + 1)
    }
}
