import CadenceTestSupport
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

/// The rtpsize AEAD modes against the known-answer vectors in the voice doc §3.3.
@Suite struct TransportCipherVectorTests {
    struct Vector {
        var mode: EncryptionMode
        var counter: UInt32
        var packet: [UInt8]
    }

    static func loadVectors() throws -> (key: [UInt8], payload: [UInt8], vectors: [Vector]) {
        let doc = String(decoding: try SharedData.file("docs/discord-voice.md"), as: UTF8.self)
        guard let start = doc.range(of: "### 3.3") else { throw VectorMissing(what: "§3.3") }
        let lines = doc[start.upperBound...].split(separator: "\n").prefix(12)
        var key: [UInt8] = [], payload: [UInt8] = [], vectors: [Vector] = []
        for line in lines {
            let words = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            if words.first == "key", words.count >= 3 { key = try hex(words[2]) }
            if let index = words.firstIndex(of: "payload"), index + 2 < words.count { payload = try hex(words[index + 2]) }
            if let mode = EncryptionMode(rawValue: words.first ?? ""), words.count >= 6,
                let counter = UInt32(words[1].dropFirst(4).dropLast())
            {
                vectors.append(Vector(mode: mode, counter: counter, packet: try hex(words[2...5].joined())))
            }
        }
        guard key.count == 32, payload.count == 3, vectors.count == 4 else { throw VectorMissing(what: "§3.3 vectors") }
        return (key, payload, vectors)
    }

    @Test(SharedData.required) func sealingMatchesEveryPublishedVector() throws {
        let (key, payload, vectors) = try Self.loadVectors()
        let header = RTPHeader(sequence: 1, timestamp: 960, ssrc: 1)
        for vector in vectors {
            let cipher = try TransportCipher(mode: vector.mode, key: key)
            #expect(
                cipher.seal(header: header, payload: payload, counter: vector.counter) == vector.packet,
                "\(vector.mode) counter \(vector.counter)")
        }
    }

    @Test(SharedData.required) func theServerOpensThePublishedVectorsAndRejectsAnyOneByteChange() async throws {
        let (key, _, vectors) = try Self.loadVectors()
        for vector in vectors {
            #expect(VoiceServerSim.canOpen(vector.packet, mode: vector.mode.rawValue, key: key))
            for index in vector.packet.indices {
                var tampered = vector.packet
                tampered[index] ^= 0x01
                #expect(
                    !VoiceServerSim.canOpen(tampered, mode: vector.mode.rawValue, key: key),
                    "byte \(index) changed in \(vector.mode)")
            }
        }
    }

    @Test func aTamperedPacketOnTheWireCountsAsADecryptFailure() async throws {
        var configuration = VoiceServerSim.Configuration()
        configuration.captureLimit = 10
        let harness = try await VoiceHarness(server: configuration)
        try await harness.connect()
        let tone = try await VoiceFixtures.tone(seconds: 0.5)
        _ = try await harness.playToEnd(tone.path)
        _ = await harness.server.waitUntil(timeout: 2) { $0.streams.first?.silenceFrames == 5 }
        let before = try #require(harness.server.report().streams.first)
        var tampered = try #require(before.captured.first)
        tampered[tampered.count / 2] ^= 0x01
        try UDPProbe.send(tampered, toPort: harness.server.udpPort)
        let counted = await harness.server.waitUntil(timeout: 2) { $0.streams.first?.decryptFailures == 1 }
        await harness.shutdown()
        #expect(before.decryptFailures == 0)
        #expect(counted)
    }

    static func hex(_ text: String) throws -> [UInt8] {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { throw VectorMissing(what: "hex \(text)") }
        return try stride(from: 0, to: digits.count, by: 2).map { i in
            guard let byte = UInt8(String(decoding: digits[i..<i + 2], as: UTF8.self), radix: 16) else {
                throw VectorMissing(what: "hex \(text)")
            }
            return byte
        }
    }

    struct VectorMissing: Error { var what: String }
}
