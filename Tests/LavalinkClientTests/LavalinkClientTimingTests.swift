import Testing

/// Two Lavalink clients nobody here wrote play through `cadence node` as they would through
/// Lavalink: lavalink.py 5.11.1 (`Clients/lavalink_py_client.py`) and wavelink 3.5.2
/// (`Clients/wavelink_client.py`). Each makes one real-time run (about 40 s, both at once, with
/// ids of their own), checked aspect by aspect.
@Suite(.enabled(if: ClientRig.canRun, Comment(rawValue: ClientRig.skipReason)))
struct LavalinkClientTimingTests {
    enum Client: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case lavalinkPy = "lavalink.py"
        case wavelink = "wavelink"

        var testDescription: String { rawValue }

        /// The client's run, started by the first test that asks for it.
        var outcome: ClientRig.Outcome {
            get async throws { try await (self == .lavalinkPy ? Self.lavalinkPyRun : Self.wavelinkRun).value }
        }

        private static let lavalinkPyRun = Task {
            try await ClientRig.run(
                script: "lavalink_py_client.py",
                ids: .init(user: 170_939_974_227_541_168, guild: 817_327_181_659_111_454, channel: 817_327_181_659_111_999))
        }
        private static let wavelinkRun = Task {
            try await ClientRig.run(
                script: "wavelink_client.py",
                ids: .init(user: 281_474_976_710_656_001, guild: 912_345_678_901_234_567, channel: 912_345_678_901_234_999))
        }
    }

    @Test(arguments: Client.allCases) func itConnectsOverDAVEAndLoadsTheHttpTrack(_ client: Client) async throws {
        ClientConformance.connection(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func theTrackPlaysAtItsPitchAndLength(_ client: Client) async throws {
        ClientConformance.pitchAndLength(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func volume50IsHeardAsMinus6dB(_ client: Client) async throws {
        ClientConformance.volume(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func timescaleSpeedIsHeardAtThatSpeed(_ client: Client) async throws {
        ClientConformance.timescale(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func aSeekLandsOnItsTimeCode(_ client: Client) async throws {
        ClientConformance.seek(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func pauseAndResumeLoseNothing(_ client: Client) async throws {
        ClientConformance.pause(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func stopAndTheNaturalEndGiveTheirReasons(_ client: Client) async throws {
        ClientConformance.endReasons(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func playerUpdatePositionsMatchWhatWasHeard(_ client: Client) async throws {
        ClientConformance.playerUpdatePositions(try await client.outcome)
    }
    @Test(arguments: Client.allCases) func aKilledSocketResumesWithoutTheAudioStopping(_ client: Client) async throws {
        ClientConformance.resume(try await client.outcome)
    }
}
