/// Joins and leaves voice channels for the router.
///
/// Two implementations: the service's gateway-backed joiner (Update Voice State, wait for both
/// voice events, DiscordVoice handshake) and the in-memory one the unit tests use.
package protocol VoiceJoining: Sendable {
    /// Connects to `channelID` and returns the playback that sends into it.
    func join(guildID: String, channelID: String) async throws -> any TrackPlayback
    /// Disconnects from the guild's voice channel (no-op when not connected).
    func leave(guildID: String) async
}
