import AudioDSP
import AudioEngine
import Foundation

/// Where Lavalink's controls meet the engine, kept together.
package enum EngineMapping {
    /// Lavalink volume (0–1000 %) to `Player.volume` (0–10.0): the engine's range is Lavalink's,
    /// and a change is heard within a tick or two (the ring's frames are rendered again).
    package static func engineVolume(_ percent: Int) -> Double { Double(min(max(percent, 0), 1000)) / 100 }

    /// Filters the engine really applies, so `/v4/info.filters` lists these (when the config
    /// leaves them on): all ten of Lavalink's, through `AudioDSP.FilterChain`.
    package static let appliedFilters: [String] = NodeConfiguration.filterNames

    /// Hands a validated `filters` object to the player: heard within 100 ms (the frames in
    /// the ring are made again under it), and kept for the player's later tracks.
    package static func apply(filters: LavalinkNode.JSONValue, to engine: Player) {
        engine.filters = settings(filters)
    }

    /// The engine's form of a `filters` object. The node has range-checked it already with
    /// Lavalink's messages; a field the DSP cannot read leaves every filter off.
    package static func settings(_ filters: LavalinkNode.JSONValue) -> FilterSettings {
        (try? JSONDecoder().decode(FilterSettings.self, from: filters.data())) ?? FilterSettings()
    }
}
