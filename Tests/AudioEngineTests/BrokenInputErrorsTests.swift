import AudioEngine
import CadenceTestSupport
import Foundation
import Testing

/// Bad input ends the track with a typed error, quickly, and the player goes on serving:
/// after every failure the same player plays a good file.
@Suite("Broken input errors")
struct BrokenInputErrorsTests {
    enum Kind: String, CaseIterable, Sendable {
        case emptyFile, randomBytes, truncatedM4A, truncatedFLAC, textNamedMP3, videoOnly, missingFile, refusedConnection
    }

    @Test("ends with a typed error within 2 s", arguments: Kind.allCases)
    func endsWithTypedError(_ kind: Kind) async throws {
        let directory = try Tools.temporaryDirectory("broken")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try await Self.make(kind, in: directory)

        let playback = OfflinePlayback()
        defer { playback.shutdown() }
        let events = try await playback.play(source)

        guard case let .failed(failedSource, error) = events.last else {
            Issue.record("expected a failure, got \(events)")
            return
        }
        #expect(failedSource == source)
        #expect(Self.matches(kind, error), "\(kind): \(error)")
        #expect(!error.description.isEmpty)

        // The process and the player are still fine: a good file plays right after.
        let good = try await Fixtures.tone("good.wav", in: directory, seconds: 1)
        let next = try await playback.play(good.path)
        #expect(next.last == .finished(source: good.path, reason: .endOfTrack))
    }

    static func make(_ kind: Kind, in directory: URL) async throws -> String {
        switch kind {
        case .emptyFile:
            let url = directory.appendingPathComponent("empty.mp3")
            _ = FileManager.default.createFile(atPath: url.path, contents: Data())
            return url.path
        case .randomBytes:
            var generator = SeededGenerator(seed: 42)
            let bytes = (0..<65_536).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let url = directory.appendingPathComponent("noise.bin")
            try Data(bytes).write(to: url)
            return url.path
        case .truncatedM4A:
            return try await truncate(Fixtures.tone("t.m4a", in: directory, seconds: 10, codec: ["-c:a", "aac"]), to: 0.5)
        case .truncatedFLAC:
            return try await truncate(Fixtures.tone("t.flac", in: directory, seconds: 10, codec: ["-c:a", "flac"]), to: 0.3)
        case .textNamedMP3:
            let url = directory.appendingPathComponent("notes.mp3")
            try Data(String(repeating: "This is a text file, not audio.\n", count: 200).utf8).write(to: url)
            return url.path
        case .videoOnly:
            let url = directory.appendingPathComponent("video.mkv")
            try await Tools.ffmpeg(["-f", "lavfi", "-i", "testsrc=size=160x120:rate=10:duration=2", "-c:v", "mpeg4", url.path])
            return url.path
        case .missingFile:
            return directory.appendingPathComponent("does-not-exist.mp3").path
        case .refusedConnection:
            return "http://127.0.0.1:\(try unusedPort())/track.mp3"
        }
    }

    static func matches(_ kind: Kind, _ error: EngineError) -> Bool {
        switch (kind, error) {
        case (.missingFile, .streamNotFound), (.refusedConnection, .networkError), (.videoOnly, .noAudioStream),
            (.truncatedFLAC, .truncated), (.emptyFile, .unsupportedFormat), (.randomBytes, .unsupportedFormat),
            (.textNamedMP3, .unsupportedFormat), (.truncatedM4A, .unsupportedFormat):
            true
        default:
            false
        }
    }

    static func truncate(_ url: URL, to fraction: Double) throws -> String {
        let data = try Data(contentsOf: url)
        try data.prefix(Int(Double(data.count) * fraction)).write(to: url)
        return url.path
    }

    /// A port nobody listens on: bound once by us, then closed.
    static func unusedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// A small deterministic generator (SplitMix64) so "random bytes" are the same every run.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
