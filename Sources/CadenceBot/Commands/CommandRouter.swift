import Foundation
import Resolver
import Store
import Synchronization
import UMA

/// Maps each slash command to its guild's player and turns the outcome into a reply.
///
/// Guarantees: every request gets exactly one reply; an error in one guild's player
/// becomes an ephemeral reply there and never reaches another guild's player; once
/// `stopTakingCommands` is called, new commands are answered with a polite refusal.
package final class CommandRouter: Sendable {
    /// Where the router gets what it needs; all of it is shared by every guild.
    package struct Dependencies: Sendable {
        package var resolver: TrackResolver
        package var voice: GatewayVoiceJoiner
        package var uma: UMAClient?
        /// Where guilds' `/crossfade` and `/normalize` are kept; nil keeps them in memory only.
        package var settings: GuildSettingsRepository?
        /// Where tracks' measured loudness is kept for `/normalize`; nil keeps none.
        package var loudness: TrackLoudnessRepository?
        package var clock: any Clock<Duration>
        package var idleLimit: Duration
        package var version: String
        /// Receives each finished track's figures (the service writes them to the store).
        package var trackEnded: (@Sendable (TrackReport) -> Void)?

        package init(
            resolver: TrackResolver, voice: GatewayVoiceJoiner, uma: UMAClient? = nil,
            settings: GuildSettingsRepository? = nil, loudness: TrackLoudnessRepository? = nil,
            clock: any Clock<Duration> = ContinuousClock(), idleLimit: Duration = .seconds(300),
            version: String = "dev",
            trackEnded: (@Sendable (TrackReport) -> Void)? = nil
        ) {
            self.trackEnded = trackEnded
            self.resolver = resolver
            self.voice = voice
            self.uma = uma
            self.settings = settings
            self.loudness = loudness
            self.clock = clock
            self.idleLimit = idleLimit
            self.version = version
        }
    }

    package let dependencies: Dependencies
    let players = Mutex<[String: GuildPlayer]>([:])
    let accepting = Atomic<Bool>(true)
    /// Since the router started, for `/about`'s uptime.
    let uptime: Stopwatch

    package init(_ dependencies: Dependencies) {
        self.dependencies = dependencies
        uptime = Stopwatch(dependencies.clock)
    }

    /// The guild's player, created on first use.
    package func player(for guildID: String) -> GuildPlayer {
        players.withLock { players in
            if let player = players[guildID] { return player }
            let player = GuildPlayer(
                guildID: guildID, resolver: dependencies.resolver, loudness: dependencies.loudness, clock: dependencies.clock,
                idleLimit: dependencies.idleLimit, trackEnded: dependencies.trackEnded)
            players[guildID] = player
            return player
        }
    }

    /// Every guild that has a player, for shutdown, auto-leave and metrics.
    package var activePlayers: [GuildPlayer] { players.withLock { Array($0.values) } }

    /// From now on every command is refused (used at shutdown).
    package func stopTakingCommands() { accepting.store(false, ordering: .relaxed) }

    /// Runs one command and returns the reply to send.
    package func handle(_ request: CommandRequest) async -> CommandReply {
        guard accepting.load(ordering: .relaxed) else { return .error(.shuttingDown) }
        do {
            return try await route(request)
        } catch {
            return .error(error)
        }
    }

    private func route(_ request: CommandRequest) async throws(PlayerCommandError) -> CommandReply {
        switch request.name {
        case "about": return await about(request)
        case "uma": return await uma(try request.string("name"))
        default: break
        }
        guard let guildID = request.guildID else { throw .notInGuild }
        let player = player(for: guildID)
        await restoreSettings(of: player)
        switch request.name {
        case "play": return try await play(request, guildID: guildID, player: player)
        case "pause":
            try await player.pause()
            return CommandReply("⏸ Paused.")
        case "resume":
            try await player.resume()
            return CommandReply("▶️ Resumed.")
        case "skip":
            let skipped = try await player.skip()
            let next = await player.current
            return CommandReply("⏭ Skipped **\(skipped.title)**." + (next.map { " Now playing **\($0.title)**." } ?? ""))
        case "stop":
            try await player.stop()
            return CommandReply("⏹ Stopped and cleared the queue.")
        case "leave":
            await leave(guildID: guildID)
            return CommandReply("👋 Left the voice channel.")
        case "queue": return await queue(player, page: (try? request.integer("page")) ?? 1)
        case "nowplaying": return try await nowPlaying(player)
        case "volume":
            let percent = try request.integer("percent")
            try await player.setVolume(percent)
            return CommandReply("🔊 Volume \(percent)%.")
        case "filter": return try await filter(request, player: player)
        case "crossfade": return try await crossfade(request, guildID: guildID, player: player)
        case "normalize": return try await normalize(request, guildID: guildID, player: player)
        case "seek":
            let position = try await player.seek(to: try request.string("position"))
            return CommandReply("⏩ Moved to \(TimeText.clock(position)).")
        case "loop":
            let text = try request.string("mode")
            guard let mode = LoopMode(rawValue: text.lowercased()) else { throw .missingOption("mode (off, track or queue)") }
            await player.setLoop(mode)
            return CommandReply("🔁 Loop: \(mode.rawValue).")
        case "shuffle":
            let count = try await player.shuffle()
            return CommandReply("🔀 Shuffled \(count) tracks.")
        case "remove":
            let removed = try await player.remove(at: try request.integer("position"))
            return CommandReply("🗑 Removed **\(removed.title)**.")
        default:
            throw .unknownCommand(request.name)
        }
    }

    /// Disconnects the guild and forgets its player.
    package func leave(guildID: String) async {
        let player = players.withLock { $0.removeValue(forKey: guildID) }
        await player?.detach()
        await dependencies.voice.leave(guildID: guildID)
    }
}
