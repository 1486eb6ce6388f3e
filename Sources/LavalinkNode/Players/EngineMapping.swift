import AudioEngine

/// The two places where Lavalink's controls meet today's engine, kept together so they can be
/// switched when the engine's 0–1000 % volume and the DSP's `FilterSettings` land.
package enum EngineMapping {
    /// Lavalink volume (0–1000 %) to `Player.volume` (0–10.0): the engine's range is Lavalink's,
    /// and a change is heard within a tick or two (the ring's frames are rendered again).
    package static func engineVolume(_ percent: Int) -> Double { Double(min(max(percent, 0), 1000)) / 100 }

    /// Filters the engine really applies, so `/v4/info.filters` lists only these. None yet:
    /// the `filters` object a client sends is validated, stored and echoed, not heard.
    package static let appliedFilters: [String] = []

    /// Hands a validated `filters` object to the player. Nothing to do until the DSP lands.
    package static func apply(filters _: JSONValue, to _: Player) {}
}
