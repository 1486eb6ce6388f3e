import CadenceTestSupport
import DiscordSim
import Testing

/// `/uma` through the whole bot: the second lookup of a name is answered from the store
/// without asking the upstream API again.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv (the bot starts its resolver worker)"))
struct BotUMACacheTests {
    @Test func aSecondLookupIsAnsweredFromTheCacheWithNoUpstreamCall() async throws {
        let harness = try await BotHarness.start(toneSeconds: 1)
        defer { Task { await harness.shutdown() } }
        let first = await harness.command("uma", [.init("name", .string("Special Week"))])
        #expect(first == "Special Week")
        #expect(harness.uma.totalRequests > 0)
        harness.uma.resetCounters()
        let second = await harness.command("uma", [.init("name", .string("special week"))])
        #expect(second == "Special Week")
        #expect(harness.uma.totalRequests == 0, "the second /uma called upstream \(harness.uma.totalRequests) times")
        let edit = harness.discord.report.restCalls.last { $0.method == "PATCH" }
        #expect(edit?.body.contains("スペシャルウィーク") == true, "the embed carries the character card")
    }

    @Test func autocompleteSuggestsCachedNamesThatMatchWhatWasTyped() async throws {
        let harness = try await BotHarness.start(toneSeconds: 1)
        defer { Task { await harness.shutdown() } }
        let (id, _) = harness.discord.sendInteraction(
            command: "uma", options: [.init("name", .string("si"), focused: true)], autocomplete: true)
        var body = ""
        #expect(
            await harness.discord.waitUntil(timeout: 10) { report in
                guard let call = report.restCalls.first(where: { $0.path.contains("/interactions/\(id)/") }) else { return false }
                body = call.body
                return true
            })
        #expect(BotHarness.callbackType(body) == 8)
        #expect(body.contains("Silence Suzuka"), "choices: \(body)")
        #expect(!body.contains("Oguri Cap"), "a name without \"si\" was suggested")
    }
}
