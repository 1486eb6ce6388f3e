import AudioDSP
import AudioEngine

extension GuildPlayer {
    /// `/crossfade`'s range, seconds (0 = gapless), the engine's too.
    package static let crossfadeRange = 0...12

    /// Applies `preset` to this guild's audio now (heard within 100 ms) and to every later
    /// track and voice connection, until another preset replaces it.
    package func setFilter(_ preset: FilterPreset) {
        filterPreset = preset
        applyAudioSettings()
    }

    /// Crossfade between queued tracks from the next boundary on, seconds within `crossfadeRange`.
    package func setCrossfade(_ seconds: Int) throws(PlayerCommandError) {
        guard Self.crossfadeRange.contains(seconds) else { throw .crossfadeOutOfRange(seconds) }
        crossfadeSeconds = seconds
        settingsChanged = true
        applyAudioSettings()
    }

    /// Loudness normalisation to −14 LUFS (EBU R128) on or off, heard within 100 ms.
    package func setNormalize(_ on: Bool) {
        normalizes = on
        settingsChanged = true
        applyAudioSettings()
    }

    /// True once: the caller then restores the guild's kept settings.
    func claimSettingsRestore() -> Bool {
        defer { settingsRestoreClaimed = true }
        return !settingsRestoreClaimed
    }

    /// Takes the settings a guild kept in the store, unless a command changed them meanwhile.
    package func restore(crossfadeSeconds: Int, normalize: Bool) {
        guard !settingsChanged else { return }
        self.crossfadeSeconds = min(max(crossfadeSeconds, Self.crossfadeRange.lowerBound), Self.crossfadeRange.upperBound)
        normalizes = normalize
        applyAudioSettings()
    }

    /// Hands the guild's filter, crossfade and normalisation to the engine of the attached
    /// voice connection, if any.
    func applyAudioSettings() {
        guard let engine else { return }
        engine.filters = filterPreset.settings
        engine.crossfadeSeconds = Double(crossfadeSeconds)
        // −14 LUFS is inside the rule's range, so this never throws.
        engine.normalization = normalizes ? try? LoudnessNormalization() : nil
    }
}
