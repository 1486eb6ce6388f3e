import AudioEngine

extension GuildPlayer {
    /// Applies `preset` to this guild's audio now (heard within 100 ms) and to every later
    /// track and voice connection, until another preset replaces it.
    package func setFilter(_ preset: FilterPreset) {
        filterPreset = preset
        applyFilters()
    }

    /// Hands the preset to the engine of the attached voice connection, if any.
    func applyFilters() {
        (playback as? EnginePlayback)?.player.filters = filterPreset.settings
    }
}
