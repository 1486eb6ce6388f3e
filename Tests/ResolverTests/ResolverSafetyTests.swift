import CadenceTestSupport
import Foundation
import Resolver
import Testing

/// What a chat message can make the bot fetch: only public http(s), never an option smuggled
/// into yt-dlp's command line.
@Suite("Resolver safety")
struct ResolverSafetyTests {
    @Test(
        "user text reaches yt-dlp only after --, as one argument",
        arguments: [
            "--exec touch /tmp/cadence-pwned", "-o /etc/passwd never gonna", "--config-location=/tmp/x"
        ])
    func userTextNeverBecomesAnOption(_ input: String) async throws {
        // A stand-in yt-dlp that records the argument vector it was given.
        let directory = try Tools.temporaryDirectory("inject")
        defer { try? FileManager.default.removeItem(at: directory) }
        let log = directory.appendingPathComponent("argv")
        let fake = directory.appendingPathComponent("yt-dlp")
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \(log.path); done\nexit 1\n"
            .write(to: fake, atomically: true, encoding: .utf8)
        chmod(fake.path, 0o755)

        let resolver = OneShotResolver(executable: fake.path)
        // Exec of a script written a moment ago can fail with ETXTBSY while another test's
        // fork still holds its write descriptor; a few tries get past that race.
        for _ in 0..<3 where !FileManager.default.fileExists(atPath: log.path) {
            await #expect(throws: ResolverError.self) { try await resolver.resolve(input) }
        }
        let argv = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let separator = try #require(argv.firstIndex(of: "--"))
        #expect(argv[(separator + 1)...] == ["ytsearch1:" + input])
        #expect(!argv[..<separator].contains { $0.contains("exec") || $0.contains("passwd") || $0.contains("config") })
    }

    @Test(
        "private, loopback, link-local and metadata addresses are refused",
        arguments: [
            "http://127.0.0.1:8080/a.mp3", "http://localhost/a.mp3", "http://10.1.2.3/a.mp3", "http://192.168.0.10/",
            "http://172.20.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/a.mp3", "http://100.64.0.1/",
            "http://0.0.0.0/"
        ])
    func privateAddressesAreRefused(_ url: String) throws {
        #expect(throws: ResolverError.self) { try SourcePolicy().check(url: url) }
        try SourcePolicy(allowPrivateNetwork: true).check(url: url)
    }

    @Test(
        "only http and https are allowed, files only when configured",
        arguments: [
            "file:///etc/passwd", "ftp://example.com/a.mp3", "concat:a.mp3|b.mp3", "gopher://x/"
        ])
    func otherSchemesAreRefused(_ url: String) {
        #expect(throws: ResolverError.self) { try SourcePolicy(allowPrivateNetwork: true).check(url: url) }
    }

    @Test("public addresses and plain searches pass")
    func publicAddressesPass() throws {
        try SourcePolicy().check(url: "http://93.184.216.34/a.mp3")
        try SourcePolicy().check(url: "never gonna give you up")
        try SourcePolicy(allowFiles: true).check(url: "file:///music/a.flac")
    }

    @Test("tracks over the duration limit are refused")
    func durationLimit() throws {
        let policy = SourcePolicy(maxDurationSeconds: 3 * 3600)
        try policy.check(duration: 3 * 3600, input: "ok")
        #expect(throws: ResolverError.tooLong(input: "long", seconds: 4 * 3600, limit: 3 * 3600)) {
            try policy.check(duration: 4 * 3600, input: "long")
        }
    }
}
