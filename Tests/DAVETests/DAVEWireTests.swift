import Testing

@testable import DAVE

@Suite("DAVE wire format")
struct DAVEWireTests {
    @Test("ULEB128 encodes the documented examples and reads them back")
    func uleb128() {
        let cases: [(UInt64, [UInt8])] = [
            (1, [0x01]), (127, [0x7F]), (128, [0x80, 0x01]), (300, [0xAC, 0x02]),
            (1 << 24, [0x80, 0x80, 0x80, 0x08]), (UInt64(UInt32.max), [0xFF, 0xFF, 0xFF, 0xFF, 0x0F])
        ]
        for (value, bytes) in cases {
            var out: [UInt8] = []
            ULEB128.append(value, to: &out)
            #expect(out == bytes)
            #expect(ULEB128.size(of: value) == bytes.count)
            let read = bytes.withUnsafeBytes { ULEB128.read($0, at: 0) }
            #expect(read?.value == value && read?.length == bytes.count)
        }
        #expect(([0x80, 0x80] as [UInt8]).withUnsafeBytes { ULEB128.read($0, at: 0) } == nil)
    }

    @Test("Server frames carry a sequence number, client frames only the opcode")
    func binaryFraming() throws {
        let welcome = DAVEBinaryMessage.welcome(transitionID: 0x0102, welcome: [9, 8, 7])
        let frame = welcome.serverFrame(sequence: 7)
        #expect(frame == [0, 7, 30, 1, 2, 9, 8, 7])
        let parsed = try DAVEBinaryMessage.parseServerFrame(frame)
        #expect(parsed.sequence == 7 && parsed.message == welcome)

        let keyPackage = DAVEBinaryMessage.keyPackage([0, 1, 0, 2])
        #expect(keyPackage.clientFrame == [26, 0, 1, 0, 2])
        #expect(try DAVEBinaryMessage.parseClientFrame(keyPackage.clientFrame) == keyPackage)

        let revoke = DAVEBinaryMessage.proposals(.revoke, vector: [0x21, 0x20])
        #expect(try DAVEBinaryMessage.parseServerFrame(revoke.serverFrame(sequence: 1)).message == revoke)
    }

    @Test("Truncated or unknown binary frames are typed errors")
    func malformedFrames() {
        #expect(throws: DAVEError.self) { try DAVEBinaryMessage.parseServerFrame([0, 1]) }
        #expect(throws: DAVEError.self) { try DAVEBinaryMessage.parseServerFrame([0, 1, 29, 5]) }
        #expect(throws: DAVEError.self) { try DAVEBinaryMessage.parseServerFrame([0, 1, 27, 9]) }
        #expect(throws: DAVEError.self) { try DAVEBinaryMessage.parseClientFrame([5, 1, 2]) }
        #expect(throws: DAVEError.self) { try DAVEBinaryMessage.parseClientFrame([]) }
    }
}
