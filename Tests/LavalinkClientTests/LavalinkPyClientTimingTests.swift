import Testing

/// lavalink.py 5.11.1 plays through `cadence node` as it would through Lavalink: one real-time
/// run (about 40 s) of `Clients/lavalink_py_client.py`, checked aspect by aspect.
@Suite(.enabled(if: ClientRig.canRun, Comment(rawValue: ClientRig.skipReason)))
struct LavalinkPyClientTimingTests {
    static let run = Task {
        try await ClientRig.run(
            script: "lavalink_py_client.py",
            ids: .init(
                user: 170_939_974_227_541_168, guild: 817_327_181_659_111_454,
                channel: 817_327_181_659_111_999))
    }

    @Test func itConnectsOverDAVEAndLoadsTheHttpTrack() async throws { ClientConformance.connection(try await Self.run.value) }
    @Test func theTrackPlaysAtItsPitchAndLength() async throws { ClientConformance.pitchAndLength(try await Self.run.value) }
    @Test func volume50IsHeardAsMinus6dB() async throws { ClientConformance.volume(try await Self.run.value) }
    @Test func timescaleSpeedIsHeardAtThatSpeed() async throws { ClientConformance.timescale(try await Self.run.value) }
    @Test func aSeekLandsOnItsTimeCode() async throws { ClientConformance.seek(try await Self.run.value) }
    @Test func pauseAndResumeLoseNothing() async throws { ClientConformance.pause(try await Self.run.value) }
    @Test func stopAndTheNaturalEndGiveTheirReasons() async throws { ClientConformance.endReasons(try await Self.run.value) }
    @Test func playerUpdatePositionsMatchWhatWasHeard() async throws {
        ClientConformance.playerUpdatePositions(try await Self.run.value)
    }
    @Test func aKilledSocketResumesWithoutTheAudioStopping() async throws { ClientConformance.resume(try await Self.run.value) }
}
