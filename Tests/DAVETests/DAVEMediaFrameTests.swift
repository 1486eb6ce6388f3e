import CadenceTestSupport
import Crypto
import Testing

@testable import DAVE

@Suite("DAVE media frames", SharedData.required)
struct DAVEMediaFrameTests {
    @Test("Sealing an Opus frame (libcrypto, into the caller's buffer) matches the published known answers byte for byte")
    func knownAnswerFrames() throws {
        let vectors = try VoiceDocVectors.load()
        #expect(vectors.frames.count == 2)
        let sealer = try #require(GCMSealer(key: SymmetricKey(data: vectors.frameKey)))
        for kat in vectors.frames {
            var out = [UInt8](repeating: 0xEE, count: vectors.opus.count + 32)
            let length = try vectors.opus.withUnsafeBytes { opus in
                try out.withUnsafeMutableBytes { try MediaFrame.seal(opus, sealer: sealer, nonce: kat.nonce, into: $0) }
            }
            #expect(Array(out[0..<length]) == kat.frame, "nonce \(kat.nonce)")
        }
    }

    @Test("The hash ratchet derives the published keys for generations 0, 1 and 2")
    func ratchetKnownAnswers() throws {
        let vectors = try VoiceDocVectors.load()
        var ratchet = KeyRatchet(baseSecret: vectors.ratchetBase)
        for generation in [2, 0, 1] as [UInt32] {
            let key = ratchet.key(for: generation).withUnsafeBytes { Array($0) }
            #expect(key == vectors.ratchetKeys[generation], "generation \(generation)")
        }
    }

    @Test("A listener decrypts what a sender encrypts, and silence crosses untouched")
    func roundTrip() throws {
        let base = (0..<16).map { UInt8($0 * 7) }
        var sender = FrameEncryptor(ratchet: KeyRatchet(baseSecret: base))
        var listener = FrameDecryptor()
        listener.install(KeyRatchet(baseSecret: base))
        for index in 0..<50 {
            let opus = (0..<(20 + index)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ index) }
            let protected = try sender.encrypt(opus)
            #expect(protected != opus)
            #expect(try listener.decrypt(protected) == opus)
        }
        #expect(sender.lastNonce == 50)
        #expect(try sender.encrypt([0xF8, 0xFF, 0xFE]) == [0xF8, 0xFF, 0xFE])
        #expect(try listener.decrypt([0xF8, 0xFF, 0xFE]) == [0xF8, 0xFF, 0xFE])
    }

    @Test("Near 2^24 frames the sender rolls into generation 1 and the listener follows")
    func generationRollover() throws {
        let base = (0..<16).map { UInt8(255 - $0) }
        var sender = FrameEncryptor(ratchet: KeyRatchet(baseSecret: base), startingNonce: (1 << 24) - 2)
        var listener = FrameDecryptor()
        listener.install(KeyRatchet(baseSecret: base))
        var generations: [UInt32] = []
        for _ in 0..<4 {
            let protected = try sender.encrypt([0xFC, 1, 2, 3, 4])
            generations.append(sender.lastNonce >> 24)
            #expect(try listener.decrypt(protected) == [0xFC, 1, 2, 3, 4])
        }
        #expect(generations == [0, 1, 1, 1])
    }

    @Test("A frame changed by one byte fails authentication instead of decoding to noise")
    func tamperedFrame() throws {
        let base = [UInt8](repeating: 9, count: 16)
        var sender = FrameEncryptor(ratchet: KeyRatchet(baseSecret: base))
        var listener = FrameDecryptor()
        listener.install(KeyRatchet(baseSecret: base))
        var protected = try sender.encrypt([0xFC, 10, 20, 30, 40, 50])
        protected[2] ^= 0x01
        #expect(throws: DAVEError.authenticationFailed(nonce: 1)) { try listener.decrypt(protected) }
        #expect(throws: DAVEError.self) { try listener.decrypt([0xFC, 1, 2, 3]) }
    }

    @Test("After a new epoch the listener still accepts late frames of the old one, newest first")
    func epochOverlap() throws {
        let old = [UInt8](repeating: 1, count: 16), new = [UInt8](repeating: 2, count: 16)
        var oldSender = FrameEncryptor(ratchet: KeyRatchet(baseSecret: old))
        var newSender = FrameEncryptor(ratchet: KeyRatchet(baseSecret: new))
        var listener = FrameDecryptor(retention: .seconds(10))
        let start = ContinuousClock.now
        listener.install(KeyRatchet(baseSecret: old), now: start)
        listener.install(KeyRatchet(baseSecret: new), now: start)
        #expect(try listener.decrypt(try newSender.encrypt([0xFC, 7]), now: start) == [0xFC, 7])
        let late = try oldSender.encrypt([0xFC, 8])
        #expect(try listener.decrypt(late, now: start + .seconds(5)) == [0xFC, 8])
        #expect(throws: DAVEError.self) { try listener.decrypt(late, now: start + .seconds(11)) }
    }
}
