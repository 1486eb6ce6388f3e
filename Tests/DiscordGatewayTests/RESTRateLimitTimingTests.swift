import DiscordGateway
import DiscordSim
import Foundation
import Testing

@Suite("REST: rate limits, retries, interaction replies")
struct RESTRateLimitTimingTests {
    @Test func stormOf429sLosesNoRequestAndKeepsOrderPerBucket() async throws {
        let harness = try await SimHarness { $0.bucketLimit = 100 }
        let interactions = (0..<5).map { _ in harness.sim.sendInteraction(command: "queue") }
        let app = Snowflake(harness.sim.configuration.applicationID)
        harness.sim.rateLimitStorm(requests: 12, retryAfter: 0.3)
        let start = ContinuousClock.now
        let tasks = (0..<50).map { index in
            let token = interactions[index % 5].token
            let body = try! JSONEncoder().encode(MessagePayload(content: "message \(index)"))
            return harness.rest.enqueue(.followup(applicationID: app, token: token), body: body)
        }
        var failures: [String] = []
        for task in tasks {
            do { _ = try await task.value } catch { failures.append("\(error)") }
        }
        #expect(failures.isEmpty, "\(failures)")
        #expect(ContinuousClock.now - start >= .seconds(0.3), "no request may succeed before retry_after")
        let report = harness.sim.report
        let succeeded = report.calls("POST", containing: "/webhooks/").filter { $0.status == 200 }
        #expect(succeeded.count == 50)
        #expect(report.rateLimited == 12)
        #expect(report.earlyRetries == 0, "a request came back before its retry_after")
        for interaction in interactions {
            let indices = succeeded.filter { $0.path.hasSuffix(interaction.token) }.compactMap { call -> Int? in
                let object = try? JSONSerialization.jsonObject(with: Data(call.body.utf8)) as? [String: Any]
                return (object?["content"] as? String).flatMap { Int($0.split(separator: " ")[1]) }
            }
            #expect(indices == indices.sorted(), "bucket order kept for \(interaction.token): \(indices)")
            #expect(indices.count == 10)
        }
        #expect(report.violations.isEmpty, "\(report.violations)")
        await harness.stop()
    }

    @Test func exhaustedBucketWaitsForResetInsteadOfDrawingA429() async throws {
        let harness = try await SimHarness {
            $0.bucketLimit = 3
            $0.bucketWindow = 0.4
        }
        let app = Snowflake(harness.sim.configuration.applicationID)
        let commands = [
            ApplicationCommand(
                name: "play", description: "Play a song",
                options: [
                    .init(
                        .string, name: "query", description: "Search terms or URL",
                        required: true, autocomplete: true)
                ])
        ]
        for _ in 0..<7 { try await harness.rest.bulkOverwriteCommands(applicationID: app, guildID: "900000000000000000", commands) }
        let report = harness.sim.report
        #expect(report.calls("PUT", containing: "/commands").count == 7)
        #expect(report.rateLimited == 0, "Remaining: 0 must make the client wait")
        await harness.stop()
    }

    @Test func globalLimitPausesEveryOtherRouteButNotInteractionReplies() async throws {
        let harness = try await SimHarness()
        let interaction = harness.sim.sendInteraction(command: "skip")
        let app = Snowflake(harness.sim.configuration.applicationID)
        harness.sim.rateLimitStorm(requests: 1, retryAfter: 4, global: true)
        let limitedAt = ContinuousClock.now
        let first = harness.rest.enqueue(.bulkOverwriteCommands(applicationID: app, guildID: nil), body: Data("[]".utf8))
        #expect(await harness.sim.waitUntil(timeout: 2) { $0.rateLimited == 1 })
        try await Task.sleep(for: .milliseconds(50))
        try await harness.rest.createInteractionResponse(
            interactionID: Snowflake(interaction.id), token: interaction.token,
            .deferred(ephemeral: true))
        #expect(ContinuousClock.now - limitedAt < .seconds(4), "interaction replies ignore the global limit")
        let info = try await harness.rest.getGatewayBot()
        #expect(ContinuousClock.now - limitedAt >= .seconds(4), "another route waited for the global limit")
        _ = try await first.value
        #expect(info.url == harness.sim.gatewayURL)
        #expect(harness.sim.report.earlyRetries == 0)
        await harness.stop()
    }

    @Test func deferredReplyThenEditAreRecordedAndASecondCallbackIsRefused() async throws {
        let harness = try await SimHarness()
        try await harness.client.connect(token: "sim-token")
        harness.sim.sendInteraction(
            command: "play", options: [.init("query", .string("never gon"), focused: true)],
            autocomplete: true)
        harness.sim.sendInteraction(command: "play", options: [.init("query", .string("song"))])
        #expect(await harness.wait { harness.eventNames.filter { $0 == "INTERACTION_CREATE" }.count == 2 })
        let interactions = harness.events.compactMap { event -> Interaction? in
            if case let .interactionCreate(interaction) = event { return interaction }
            return nil
        }
        let autocomplete = interactions[0]
        #expect(autocomplete.kind == .autocomplete)
        #expect(autocomplete.focusedOption?.stringValue == "never gon")
        try await harness.rest.respond(to: autocomplete, .autocomplete([AutocompleteChoice(name: "Never", value: "n")]))

        let play = interactions[1]
        #expect(play.kind == .applicationCommand)
        #expect(play.commandName == "play")
        #expect(play.option("query")?.stringValue == "song")
        #expect(play.user?.id == "800000000000000001")
        try await harness.rest.respond(to: play, .deferred(ephemeral: false))
        let embed = Embed(title: "Now playing", description: "song", fields: [.init(name: "Duration", value: "3:32", inline: true)])
        let message = try await harness.rest.editOriginalResponse(
            applicationID: play.applicationID, token: play.token,
            MessagePayload(embeds: [embed]))
        #expect(message.embeds == [embed])
        await #expect(throws: DiscordRESTError.self) { try await harness.rest.respond(to: play, .deferred(ephemeral: false)) }

        let calls = harness.sim.report.restCalls.filter { !$0.path.hasSuffix("/gateway/bot") }
        #expect(calls.map(\.method) == ["POST", "POST", "PATCH", "POST"])
        #expect(calls.map(\.status) == [204, 204, 200, 400])
        #expect(calls[0].body.contains("\"type\":8"))
        #expect(calls[1].body.contains("\"type\":5"))
        await harness.stop()
    }

    @Test func tooLongContentIsRefusedBeforeSending() async throws {
        let harness = try await SimHarness()
        let long = MessagePayload(content: String(repeating: "x", count: 2001))
        await #expect(throws: DiscordRESTError.self) {
            try await harness.rest.createFollowup(applicationID: "1", token: "t", long)
        }
        #expect(harness.sim.report.restCalls.isEmpty)
        await harness.stop()
    }
}
