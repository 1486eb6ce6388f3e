import AudioEngine
import CadenceTestSupport
import Foundation
import Store
import Testing

@testable import CadenceBot

/// `/crossfade <0–12>` and `/normalize <on|off>`: per guild, kept in the store across a restart
/// of the bot, handed to the engine of the guild's voice connection, and shown by `/nowplaying`.
@Suite(.enabled(if: Tools.hasVenv || SharedData.isCI, "needs .venv with yt-dlp (make test installs it)"))
struct CommandRouterAudioSettingsTests {
    func run(
        _ router: CommandRouter, _ name: String, _ options: [String: CommandRequest.Value] = [:],
        guild: String = "g1"
    ) async -> CommandReply {
        await router.handle(
            CommandRequest(
                name: name, options: options, userID: "u1", guildID: guild,
                userVoiceChannelID: "voice-1"))
    }

    static func temporaryDatabase() throws -> (AppDatabase, String) {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cadence-settings-\(UUID().uuidString).sqlite").path
        return (try AppDatabase(path: path), path)
    }

    @Test func eachGuildKeepsItsSettingsAcrossARestart() async throws {
        let (database, path) = try Self.temporaryDatabase()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let url = try await LocalTracks.url("song-a")
        let router = CommandRouter.local(settings: GuildSettingsRepository(database: database))
        let first = await router.connect("g1"), second = await router.connect("g2")
        defer {
            first.shutdown()
            second.shutdown()
        }
        #expect(await run(router, "crossfade", ["seconds": .integer(5)]) == CommandReply("🎚 Crossfade 5 s."))
        #expect(await run(router, "normalize", ["mode": .string("on")]) == CommandReply("📏 Loudness normalised to −14 LUFS."))
        _ = await run(router, "play", ["query": .string(url)])
        #expect(await run(router, "nowplaying").content.hasSuffix("\nCrossfade: 5 s · Normalize: on (−14 LUFS)"))
        #expect(first.player.crossfadeSeconds == 5 && first.player.normalization?.targetLUFS == -14)
        _ = await run(router, "play", ["query": .string(url)], guild: "g2")
        #expect(await run(router, "nowplaying", guild: "g2").content.hasSuffix("\nCrossfade: off (gapless) · Normalize: off"))
        #expect(second.player.crossfadeSeconds == 0 && second.player.normalization == nil)

        // The bot restarts: a new router on the same database. Any command of a guild brings
        // its settings back, and they reach the engine it connects next.
        let reopened = try AppDatabase(path: path)
        let restarted = CommandRouter.local(settings: GuildSettingsRepository(database: reopened))
        _ = await run(restarted, "queue")
        #expect(await restarted.player(for: "g1").crossfadeSeconds == 5)
        #expect(await restarted.player(for: "g1").normalizes)
        let rejoined = await restarted.connect("g1")
        defer { rejoined.shutdown() }
        #expect(rejoined.player.crossfadeSeconds == 5 && rejoined.player.normalization?.targetLUFS == -14)
        _ = await run(restarted, "queue", guild: "g2")
        #expect(await restarted.player(for: "g2").crossfadeSeconds == 0)
        #expect(await !restarted.player(for: "g2").normalizes)
        #expect(
            await run(restarted, "crossfade", ["seconds": .integer(0)]).content
                == "🎚 Crossfade off: tracks follow each other gaplessly.")
        #expect(rejoined.player.crossfadeSeconds == 0)
        #expect(
            try await GuildSettingsRepository(database: reopened).settings(of: "g1")
                .map { [$0.crossfadeSeconds, $0.normalize ? 1 : 0] } == [0, 1])
    }

    @Test func aCrossfadeOutsideZeroToTwelveIsAnEphemeralUsageError() {
        let router = CommandRouter.local()
        let reply = router.precheck(CommandRequest(name: "crossfade", options: ["seconds": .integer(13)], userID: "u1", guildID: "g1"))
        #expect(reply == CommandReply("Crossfade must be 0–12 seconds (got 13).", ephemeral: true))
        let bad = router.precheck(CommandRequest(name: "normalize", options: ["mode": .string("loud")], userID: "u1", guildID: "g1"))
        #expect(bad?.ephemeral == true && bad?.content.contains("on or off") == true)
        let option = CommandCatalog.named("crossfade")?.options.first
        #expect(option?.minValue == 0 && option?.maxValue == 12)
    }

    @Test func theEngineOfEachVoiceConnectionGetsTheGuildsSettings() async throws {
        let first = LocalEngine()
        defer { first.shutdown() }
        let guild = GuildPlayer(guildID: "g1", resolver: LocalTracks.resolver())
        await guild.attach(first.player, channelID: "voice-1")
        #expect(first.player.crossfadeSeconds == 0 && first.player.normalization == nil)
        try await guild.setCrossfade(8)
        await guild.setNormalize(true)
        #expect(first.player.crossfadeSeconds == 8)
        #expect(first.player.normalization?.targetLUFS == -14)
        let second = LocalEngine()
        defer { second.shutdown() }
        await guild.attach(second.player, channelID: "voice-1")
        #expect(second.player.crossfadeSeconds == 8 && second.player.normalization?.targetLUFS == -14)
        await guild.setNormalize(false)
        #expect(second.player.normalization == nil)
    }
}
