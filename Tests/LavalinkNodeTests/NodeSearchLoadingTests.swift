import CadenceTestSupport
import Foundation
import Resolver
import Testing

/// `ytsearch:`, `ytmsearch:` and `scsearch:` go to yt-dlp as searches, with the query only
/// ever after `--`; what yt-dlp lists comes back as a `search` result.
@Suite struct NodeSearchLoadingTests {
    /// A stand-in yt-dlp: records its argument vector, answers a flat search with two entries.
    static func standIn() throws -> (executable: URL, log: URL) {
        let directory = try Tools.temporaryDirectory("node-search")
        let log = directory.appendingPathComponent("argv")
        let fake = directory.appendingPathComponent("yt-dlp")
        let answer = """
            {"_type":"playlist","entries":[{"url":"https://www.youtube.com/watch?v=aaaaaaaaaaa","title":"First Song","uploader":"Band A","duration":201.5},{"url":"https://www.youtube.com/watch?v=bbbbbbbbbbb","title":"Second Song","channel":"Band B"}]}
            """
        try "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\" >> \(log.path); done\nprintf '%s' '\(answer)'\n"
            .write(to: fake, atomically: true, encoding: .utf8)
        chmod(fake.path, 0o755)
        return (fake, log)
    }

    @Test(arguments: [("ytsearch:", "ytsearch"), ("ytmsearch:", "ytsearch"), ("scsearch:", "scsearch")])
    func aSearchPrefixRunsAYTDLPSearchAndAnswersSearch(_ prefix: String, _ site: String) async throws {
        let (fake, log) = try Self.standIn()
        let resolver = TrackResolver(policy: SourcePolicy(), worker: nil, oneShot: OneShotResolver(executable: fake.path))
        let node = try await NodeHarness(resolver: resolver)
        let query = "--exec touch /tmp/x never gonna"
        let identifier = (prefix + query).addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        var result: [String: Any] = [:]
        // Exec of a script written a moment ago can fail with ETXTBSY while another test forks.
        for _ in 0..<3 where result["loadType"] as? String != "search" {
            result = try await node.request(.GET, "/v4/loadtracks?identifier=\(identifier)").object()
        }
        #expect(result["loadType"] as? String == "search")
        let tracks = try #require(result["data"] as? [[String: Any]])
        #expect(tracks.count == 2)
        let first = try #require(tracks.first?["info"] as? [String: Any])
        #expect(first["title"] as? String == "First Song" && first["author"] as? String == "Band A")
        #expect(first["length"] as? Int == 201_500 && first["isStream"] as? Bool == false)
        #expect(first["uri"] as? String == "https://www.youtube.com/watch?v=aaaaaaaaaaa")
        #expect(first["sourceName"] as? String == (site == "scsearch" ? "soundcloud" : "youtube"))
        #expect((tracks.last?["info"] as? [String: Any])?["author"] as? String == "Band B")
        let argv = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map(String.init)
        let separator = try #require(argv.firstIndex(of: "--"))
        #expect(Array(argv[(separator + 1)...].prefix(1)) == ["\(site)10:\(query)"])
        #expect(!argv[..<separator].contains { $0.contains("exec") })
        await node.shutdown()
    }

    @Test func aDisabledSourcesPrefixIsEmpty() async throws {
        let node = try await NodeHarness { $0.sources["soundcloud"] = false }
        let result = try await node.request(.GET, "/v4/loadtracks?identifier=scsearch%3Aanything").object()
        #expect(result["loadType"] as? String == "empty")
        let info = try await node.request(.GET, "/v4/info").object()
        #expect((info["sourceManagers"] as? [String])?.contains("soundcloud") == false)
        await node.shutdown()
    }
}
