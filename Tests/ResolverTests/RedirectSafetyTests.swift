import AudioEngine
import CadenceTestSupport
import Foundation
import MediaServerSim
import Resolver
import Testing

/// SSRF through a redirect: a URL that passes the policy but whose server redirects into a
/// private address fails with a typed error, because the engine checks where libav's
/// redirects ended with the same policy. With private addresses allowed, the same hop plays.
@Suite("Redirect safety")
struct RedirectSafetyTests {
    final class CountingSink: FrameSink {
        let isReady = true
        func send(opus: UnsafeRawBufferPointer) {}
        func setSpeaking(_ speaking: Bool) {}
    }

    static func play(through policy: SourcePolicy) async throws -> PlayerEvent? {
        let directory = try Tools.temporaryDirectory("redirect")
        defer { try? FileManager.default.removeItem(at: directory) }
        let tone = directory.appendingPathComponent("tone.mp3")
        try await Tools.ffmpeg(["-f", "lavfi", "-i", "sine=frequency=440:duration=1", "-c:a", "libmp3lame", tone.path])
        let server = try await MediaServer.start()
        server.add("tone.mp3", data: try Data(contentsOf: tone), contentType: "audio/mpeg")
        // The hop goes to a different host name, as a redirect into an internal service would.
        server.addRedirect("hop", to: "http://localhost:\(server.port)/tone.mp3")
        let pacer = Pacer(clock: VirtualClock())
        let player = Player(sink: CountingSink(), pacer: pacer, unpaced: true)
        player.play(TrackSource(location: "http://127.0.0.1:\(server.port)/hop", allowsLocation: { (try? policy.check(url: $0)) != nil }))
        var end: PlayerEvent?
        for await event in player.events {
            if case .finished = event {
                end = event
                break
            }
            if case .failed = event {
                end = event
                break
            }
        }
        pacer.shutdown()
        await server.shutdown()
        return end
    }

    @Test("a redirect into a private address fails the track with a typed error")
    func redirectIntoPrivateNetworkIsRefused() async throws {
        let end = try await Self.play(through: SourcePolicy())
        guard case let .failed(_, error)? = end, case let .refusedLocation(_, location) = error else {
            Issue.record("expected a refused location, got \(String(describing: end))")
            return
        }
        #expect(location.hasPrefix("http://localhost:"))
    }

    @Test("the same redirect plays when private addresses are allowed")
    func redirectPlaysWhenAllowed() async throws {
        let end = try await Self.play(through: SourcePolicy(allowPrivateNetwork: true))
        guard case .finished(_, .endOfTrack)? = end else {
            Issue.record("expected the track to play, got \(String(describing: end))")
            return
        }
    }
}
