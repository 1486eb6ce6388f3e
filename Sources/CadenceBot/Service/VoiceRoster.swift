import DiscordGateway
import Synchronization

/// Who is in which voice channel, per guild, as GUILD_CREATE and VOICE_STATE_UPDATE report it.
///
/// The router needs it for `/play` (the caller's channel) and auto-leave needs it to count
/// the people left with the bot. Updates come from the one gateway task; reads from anywhere.
package final class VoiceRoster: Sendable {
    private let channels = Mutex<[Snowflake: [Snowflake: Snowflake]]>([:])

    package init() {}

    /// Replaces a guild's voice states with the ones GUILD_CREATE lists.
    package func load(_ guild: Guild) {
        channels.withLock { all in
            var guildStates: [Snowflake: Snowflake] = [:]
            for state in guild.voiceStates { if let channel = state.channelID { guildStates[state.userID] = channel } }
            all[guild.id] = guildStates
        }
    }

    /// Applies one VOICE_STATE_UPDATE (a null channel means the user left voice).
    package func apply(_ state: VoiceStateUpdate) {
        guard let guildID = state.guildID else { return }
        channels.withLock { all in all[guildID, default: [:]][state.userID] = state.channelID }
    }

    package func channel(of user: Snowflake, in guild: Snowflake) -> Snowflake? {
        channels.withLock { $0[guild]?[user] }
    }

    /// People in `channel` other than `excluding` (the bot itself).
    package func listeners(in channel: Snowflake, guild: Snowflake, excluding bot: Snowflake?) -> Int {
        channels.withLock { all in
            (all[guild] ?? [:]).filter { $0.value == channel && $0.key != bot }.count
        }
    }
}
