import AudioDSP
import AudioEngine
import Foundation
import Testing

@testable import CadenceBot

/// `/filter <preset>`: each preset is a valid Lavalink filters object, the guild keeps it, the
/// engine of its voice connection gets it, and `/nowplaying` says which one is on.
@Suite struct CommandRouterFilterTests {
    let voice = InstantVoice()

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

    @Test func filterIsKeptAndShownByNowPlaying() async {
        let router = CommandRouter(.init(lookup: TableLookup(), voice: voice))
        _ = await run(router, "play", ["query": .string("song-a")])
        #expect(await run(router, "nowplaying").content.contains("\nFilters: none\n"))
        let reply = await run(router, "filter", ["preset": .string("nightcore")])
        #expect(reply == CommandReply("🎛 Filter: nightcore (speed and pitch ×1.3)."))
        #expect(await router.player(for: "g1").filterPreset == .nightcore)
        #expect(await run(router, "nowplaying").content.contains("\nFilters: nightcore (speed and pitch ×1.3)\n"))
        #expect(await run(router, "filter", ["preset": .string("off")]).content == "🎛 Filters off.")
        #expect(await router.player(for: "g1").filterPreset == .off)
    }

    @Test func anUnknownPresetIsAnEphemeralUsageError() {
        let router = CommandRouter(.init(lookup: TableLookup(), voice: voice))
        let reply = router.precheck(
            CommandRequest(
                name: "filter", options: ["preset": .string("chipmunk")],
                userID: "u1", guildID: "g1"))
        #expect(reply?.ephemeral == true)
        #expect(reply?.content.contains("nightcore, vaporwave, bassboost, 8d, karaoke, off") == true)
    }

    /// A sink that takes nothing, so the engine holds its ring: only the settings matter here.
    final class IdleSink: FrameSink {
        var isReady: Bool { false }
        func send(opus: UnsafeRawBufferPointer) {}
        func setSpeaking(_ speaking: Bool) {}
    }

    @Test func theEngineOfTheVoiceConnectionGetsThePresetAndKeepsItForTheNextConnection() async {
        let pacer = Pacer(clock: VirtualClock())
        defer { pacer.shutdown() }
        let first = Player(sink: IdleSink(), pacer: pacer)
        let guild = GuildPlayer(guildID: "g1", lookup: TableLookup())
        await guild.attach(EnginePlayback(player: first), channelID: "voice-1")
        await guild.setFilter(.bassboost)
        #expect(first.filters == FilterPreset.bassboost.settings)
        let second = Player(sink: IdleSink(), pacer: pacer)
        await guild.attach(EnginePlayback(player: second), channelID: "voice-1")
        #expect(second.filters == FilterPreset.bassboost.settings)
        await guild.setFilter(.off)
        #expect(second.filters.isIdentity)
    }
}
