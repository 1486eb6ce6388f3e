import DAVE
import Logging
import Testing
import VoiceServerSim

@testable import DiscordVoice

/// The E2EE step of the RTP sender, checked on the wire: what a listener gets after transport
/// decryption is plain Opus before a transition and a DAVE frame it can decrypt after.
@Suite struct VoiceE2EESendTests {
    let key = [UInt8](repeating: 7, count: 32)
    let opus: [UInt8] = [0xFC] + Array(10...60)
    let silence: [UInt8] = [0xF8, 0xFF, 0xFE]

    func wire() throws -> (RTPSender, UDPListener) {
        let listener = try UDPListener()
        let sender = RTPSender()
        let cipher = try TransportCipher(mode: .xchacha20Poly1305, key: key)
        sender.install(RTPSender.Route(socket: try UDPSocket(host: "127.0.0.1", port: listener.port), cipher: cipher, ssrc: 9))
        return (sender, listener)
    }

    func sendAndReceive(_ frame: [UInt8], sender: RTPSender, listener: UDPListener) throws -> [UInt8] {
        frame.withUnsafeBytes { sender.send(opus: $0) }
        let packet = try listener.receive()
        return try #require(VoiceServerSim.openPayload(packet, mode: EncryptionMode.xchacha20Poly1305.rawValue, key: key))
    }

    @Test func framesGoOutPlainUntilAnEncryptorIsInstalledThenDAVEEncryptedFromNonceOne() throws {
        let (sender, listener) = try wire()
        #expect(try sendAndReceive(opus, sender: sender, listener: listener) == opus)
        #expect(!sender.isE2EEActive)

        let ratchet = KeyRatchet(baseSecret: Array(0..<16))
        sender.installE2EE(FrameEncryptor(ratchet: ratchet))
        var listenerKeys = FrameDecryptor()
        listenerKeys.install(ratchet)
        let first = try sendAndReceive(opus, sender: sender, listener: listener)
        #expect(first.count == opus.count + 12)
        #expect(Array(first.suffix(4)) == [0x01, 12, 0xFA, 0xFA])
        #expect(try listenerKeys.decrypt(first) == opus)
        #expect(try sendAndReceive(silence, sender: sender, listener: listener) == silence)
        let second = try sendAndReceive(opus, sender: sender, listener: listener)
        #expect(second[second.count - 4] == 0x02)
        #expect(try listenerKeys.decrypt(second) == opus)
        #expect(sender.statistics.e2eeFrames == 2)
        #expect(sender.statistics.packetsSent == 4)

        sender.installE2EE(nil)
        #expect(try sendAndReceive(opus, sender: sender, listener: listener) == opus)
    }

    @Test func theRolloverHookStartsNearGenerationOneAndTheListenerFollows() throws {
        let (sender, listener) = try wire()
        let ratchet = KeyRatchet(baseSecret: Array(16..<32))
        sender.installE2EE(FrameEncryptor(ratchet: ratchet, startingNonce: (1 << 24) - 1))
        var listenerKeys = FrameDecryptor()
        listenerKeys.install(ratchet)
        let frame = try sendAndReceive(opus, sender: sender, listener: listener)
        // ULEB128(2^24) = 80 80 80 08, then size 15 and the marker.
        #expect(Array(frame.suffix(7)) == [0x80, 0x80, 0x80, 0x08, 15, 0xFA, 0xFA])
        #expect(try listenerKeys.decrypt(frame) == opus)
    }
}
