import AudioDSP
import CadenceTestSupport
import Foundation
import Testing

@testable import CadenceBot

/// `/filter <preset>`: each preset is a valid Lavalink filters object, the guild keeps it, the
/// engine of its voice connection gets it, and `/nowplaying` says which one is on.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct CommandRouterFilterTests {
    func run(_ router: CommandRouter, _ name: String, _ options: [String: CommandRequest.Value] = [:]) async -> CommandReply {
        await router.handle(
            CommandRequest(
                name: name, options: options, userID: "u1", guildID: "g1",
                userVoiceChannelID: "voice-1"))
    }

    @Test func everyPresetIsAValidLavalinkFiltersObject() throws {
        #expect(FilterPreset.allCases.map(\.rawValue) == ["nightcore", "vaporwave", "bassboost", "8d", "karaoke", "off"])
        for preset in FilterPreset.allCases {
            try preset.settings.validate()
            let json = try JSONEncoder().encode(preset.settings)
            #expect(try JSONDecoder().decode(FilterSettings.self, from: json) == preset.settings)
            #expect(preset.settings.isIdentity == (preset == .off), "\(preset)")
        }
        let choices = CommandCatalog.named("filter")?.options.first?.choices?.map(\.value)
        #expect(choices?.count == FilterPreset.allCases.count)
    }

    @Test func filterIsKeptAndShownByNowPlaying() async throws {
        let router = CommandRouter.local()
        let engine = await router.connect()
        defer { engine.shutdown() }
        _ = await run(router, "play", ["query": .string(try await LocalTracks.url("song-a"))])
        #expect(await run(router, "nowplaying").content.contains("\nFilters: none\n"))
        let reply = await run(router, "filter", ["preset": .string("nightcore")])
        #expect(reply == CommandReply("🎛 Filter: nightcore (speed and pitch ×1.3)."))
        #expect(await router.player(for: "g1").filterPreset == .nightcore)
        #expect(engine.player.filters == FilterPreset.nightcore.settings)
        #expect(await run(router, "nowplaying").content.contains("\nFilters: nightcore (speed and pitch ×1.3)\n"))
        #expect(await run(router, "filter", ["preset": .string("off")]).content == "🎛 Filters off.")
        #expect(await router.player(for: "g1").filterPreset == .off)
        #expect(engine.player.filters.isIdentity)
    }

    @Test func anUnknownPresetIsAnEphemeralUsageError() {
        let router = CommandRouter.local()
        let reply = router.precheck(
            CommandRequest(
                name: "filter", options: ["preset": .string("chipmunk")],
                userID: "u1", guildID: "g1"))
        #expect(reply?.ephemeral == true)
        #expect(reply?.content.contains("nightcore, vaporwave, bassboost, 8d, karaoke, off") == true)
    }

    @Test func theEngineOfTheVoiceConnectionGetsThePresetAndKeepsItForTheNextConnection() async {
        let first = LocalEngine()
        defer { first.shutdown() }
        let guild = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver())
        await guild.attach(first.player, channelID: "voice-1")
        await guild.setFilter(.bassboost)
        #expect(first.player.filters == FilterPreset.bassboost.settings)
        let second = LocalEngine()
        defer { second.shutdown() }
        await guild.attach(second.player, channelID: "voice-1")
        #expect(second.player.filters == FilterPreset.bassboost.settings)
        await guild.setFilter(.off)
        #expect(second.player.filters.isIdentity)
    }
}
