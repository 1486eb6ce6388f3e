import AudioEngine

/// The two places where Lavalink's controls meet today's engine, kept together so they can be
/// switched when the engine's 0–1000 % volume and the DSP's `FilterSettings` land.
package enum EngineMapping {
    /// Lavalink volume (0–1000 %) to `Player.volume` (0–2.0 today): values above 200 % are
    /// held at 200 %, the engine's ceiling.
    package static func engineVolume(_ percent: Int) -> Double { Double(min(percent, 200)) / 100 }

    /// Filters the engine really applies, so `/v4/info.filters` lists only these. None yet:
    /// the `filters` object a client sends is validated, stored and echoed, not heard.
    package static let appliedFilters: [String] = []

    /// Hands a validated `filters` object to the player. Nothing to do until the DSP lands.
    package static func apply(filters _: JSONValue, to _: Player) {}
}
