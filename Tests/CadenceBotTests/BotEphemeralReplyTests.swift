import CadenceBot
import CadenceTestSupport
import DiscordSim
import Foundation
import Testing

/// Issue 9: a user's mistake is shown to that user only. What Discord receives is read back
/// from the simulator: which callbacks, edits, deletions and followups, and their flags.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct BotEphemeralReplyTests {
    static let ephemeral = 64

    @Test func nothingPlayingIsAnsweredPrivatelyWithoutDeferring() async throws {
        let harness = try await BotHarness.start(toneSeconds: 2)
        defer { Task { await harness.shutdown() } }
        let (id, token) = harness.discord.sendInteraction(command: "pause", guildID: BotHarness.guildID)
        #expect(
            await harness.discord.waitUntil(timeout: 10) { report in
                report.restCalls.contains { $0.path.contains("/interactions/\(id)/") && $0.status < 300 }
            })
        try await Task.sleep(for: .milliseconds(300))
        let calls = harness.calls(forInteraction: id, token: token)
        let callback = try #require(calls.first { $0.path.hasSuffix("/callback") })
        #expect(BotHarness.callbackType(callback.body) == 4, "expected an immediate reply, got \(callback.body)")
        #expect(BotHarness.flags(callback.body) == Self.ephemeral)
        #expect(BotHarness.content(callback.body) == "Nothing is playing.")
        #expect(calls.count == 1, "more calls than the one private reply: \(calls.map(\.summary))")
    }

    @Test func aRefusedURLFoundAfterDeferringNeverReachesThePublicReply() async throws {
        let harness = try await BotHarness.start(toneSeconds: 2)
        defer { Task { await harness.shutdown() } }
        let (id, token) = harness.discord.sendInteraction(
            command: "play", options: [.init("query", .string("ftp://127.0.0.1/song.mp3"))], guildID: BotHarness.guildID)
        #expect(
            await harness.discord.waitUntil(timeout: 15) { report in
                report.restCalls.contains { $0.method == "POST" && $0.path.hasSuffix("/\(token)") && $0.status < 300 }
            })
        let calls = harness.calls(forInteraction: id, token: token)
        let callback = try #require(calls.first { $0.path.hasSuffix("/callback") })
        #expect(BotHarness.callbackType(callback.body) == 5, "the /play was deferred publicly first")
        #expect(BotHarness.flags(callback.body) == nil)
        #expect(
            calls.contains { $0.method == "DELETE" && $0.path.hasSuffix("/messages/@original") && $0.status == 204 },
            "the public 'thinking…' reply was not withdrawn: \(calls.map(\.summary))")
        let followup = try #require(calls.first { $0.method == "POST" && $0.path.hasSuffix("/\(token)") })
        #expect(BotHarness.flags(followup.body) == Self.ephemeral)
        #expect(BotHarness.content(followup.body)?.hasPrefix("Cannot play that:") == true)
        let publicWithError = calls.filter { call in
            call.method != "DELETE" && BotHarness.flags(call.body) != Self.ephemeral
                && BotHarness.content(call.body)?.contains("Cannot play") == true
        }
        #expect(publicWithError.isEmpty, "the error was shown publicly: \(publicWithError.map(\.summary))")
        let deleted = try #require(calls.firstIndex { $0.method == "DELETE" })
        let posted = try #require(calls.firstIndex { $0.method == "POST" && $0.path.hasSuffix("/\(token)") })
        #expect(deleted < posted, "the followup came before the public reply was withdrawn")
    }
}

extension DiscordSimReport.RESTCall {
    var summary: String { "\(method) \(path) \(status) \(body.prefix(120))" }
}
