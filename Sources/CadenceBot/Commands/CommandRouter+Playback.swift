import Foundation
import Resolver

extension CommandRouter {
    func play(_ request: CommandRequest, guildID: String, player: GuildPlayer) async throws(PlayerCommandError)
        -> CommandReply
    {
        let query = try request.string("query")
        guard let channelID = request.userVoiceChannelID else { throw .notInVoiceChannel }
        // Resolve first: a refused or unknown link is answered without joining voice.
        let track: ResolvedTrack
        do { track = try await dependencies.resolver.resolve(query) } catch { throw .refused(error.description) }
        let connected = await player.isConnected
        if await player.channelID != channelID || !connected {
            do {
                let engine = try await dependencies.voice.join(guildID: guildID, channelID: channelID)
                await player.attach(engine, channelID: channelID)
            } catch {
                throw .voiceUnavailable(String(describing: error))
            }
        }
        let result = try await player.enqueue(track, input: query, requester: request.userID)
        let length = result.entry.durationMs.map { " (\(TimeText.clock($0)))" } ?? ""
        if result.position == 0 {
            return CommandReply("▶️ Now playing **\(result.entry.title)**\(length)")
        }
        return CommandReply("➕ Queued **\(result.entry.title)**\(length) at position \(result.position)")
    }

    func queue(_ player: GuildPlayer, page number: Int) async -> CommandReply {
        let page = await player.queuePage(number)
        let current = await player.current
        var lines: [String] = []
        if let current { lines.append("Now: **\(current.title)**") }
        if page.items.isEmpty {
            lines.append("The queue is empty.")
        } else {
            for item in page.items {
                let length = item.entry.durationMs.map { " (\(TimeText.clock($0)))" } ?? ""
                lines.append("\(item.position). \(item.entry.title)\(length) · <@\(item.entry.requester)>")
            }
            lines.append("Page \(page.number)/\(page.pageCount) · \(page.total) tracks · loop \(await player.loopMode.rawValue)")
        }
        return CommandReply(lines.joined(separator: "\n"))
    }

    func nowPlaying(_ player: GuildPlayer) async throws(PlayerCommandError) -> CommandReply {
        let now = try await player.nowPlaying()
        let bar = TimeText.progressBar(positionMs: now.positionMs, durationMs: now.durationMs)
        let total = now.durationMs.map(TimeText.clock) ?? "live"
        let state = now.isPaused ? "⏸" : "▶️"
        let filters = await player.filterPreset.summary
        let crossfade = await player.crossfadeSeconds
        let normalizes = await player.normalizes
        return CommandReply(
            "\(state) **\(now.entry.title)**\n\(bar)\n\(TimeText.clock(now.positionMs)) / \(total) · requested by <@\(now.entry.requester)>"
                + "\nFilters: \(filters)"
                + "\nCrossfade: \(crossfade == 0 ? "off (gapless)" : "\(crossfade) s") · Normalize: \(normalizes ? "on (−14 LUFS)" : "off")"
        )
    }

    func about(_ request: CommandRequest) async -> CommandReply {
        let uptime = uptime()
        var lines = [
            "Cadence \(dependencies.version) · up \(TimeText.clock(uptime.milliseconds)) · \(players.withLock { $0.count }) guilds"
        ]
        if let guildID = request.guildID, let player = players.withLock({ $0[guildID] }),
            let figures = await player.currentStats, let stats = figures.stats
        {
            lines.append(
                String(
                    format: "Current track: %d frames sent · %d nulled · %d deficit · pacing p99 %.2f ms · %d recoveries",
                    stats.sent, stats.nulled, stats.deficit, stats.deviationMilliseconds(atPercentile: 99),
                    figures.recoveries))
        } else {
            lines.append("Nothing playing here.")
        }
        return CommandReply(lines.joined(separator: "\n"))
    }
}

extension Duration {
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
