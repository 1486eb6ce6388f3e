import Foundation
import GRDB

/// The audio settings a guild chose with `/crossfade` and `/normalize`, kept so that they
/// survive a restart of the bot.
///
/// `id` is the guild's snowflake. A guild with no row has the defaults: gapless (no
/// crossfade) and no normalisation.
package struct GuildSettingsRecord: Codable, Sendable, Equatable, Identifiable {
    package var id: String
    /// Crossfade between queued tracks, seconds, 0–12 (0 = gapless).
    package var crossfadeSeconds: Double
    /// Whether loudness normalisation (−14 LUFS) is on.
    package var normalize: Bool
    package var updatedAt: Date

    package init(id: String, crossfadeSeconds: Double = 0, normalize: Bool = false, updatedAt: Date = Date()) {
        self.id = id
        self.crossfadeSeconds = crossfadeSeconds
        self.normalize = normalize
        self.updatedAt = updatedAt
    }
}

extension GuildSettingsRecord: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "guildSettings"
}
