import AudioEngine
import CadenceTestSupport
import DiscordGateway
import Foundation
import Logging
import MediaServerSim
import Resolver
import Store

@testable import CadenceBot

/// Songs on a loopback media server, resolved by the real resolver (yt-dlp's generic
/// extractor through the warm worker), the way a user's link is.
enum LocalTracks {
    /// Every song is the same 3 s tone at −20 dBFS; only its URL (and so its title) differs.
    static let milliseconds: Int64 = 3000
    static let songs = ["song-a", "song-b", "song-c", "song-d", "song-now"] + (1...5).map { "song-\($0)" }

    private static let server = Task { () throws -> MediaServer in
        let server = try await MediaServer.start()
        let directory = try Tools.temporaryDirectory("bot-songs")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("song.wav")
        let tone = Signals.sine(440, amplitude: 0.1, seconds: Double(milliseconds) / 1000)
        try Signals.writeWAV(Signals.stereo(tone, tone), to: file)
        let data = try Data(contentsOf: file)
        for song in songs { server.add("\(song).wav", data: data, contentType: "audio/wav") }
        return server
    }

    /// The song's link, as a user would paste it; yt-dlp titles it with the name.
    static func url(_ song: String) async throws -> String {
        "http://127.0.0.1:\(try await server.value.port)/\(song).wav"
    }

    static func urls(_ songs: [String]) async throws -> [String] {
        var urls: [String] = []
        for song in songs { urls.append(try await url(song)) }
        return urls
    }

    /// One yt-dlp worker for every suite: its cold start is paid once.
    private static let worker = ResolverWorker(timeout: 60)

    /// A resolver of its own (its own cache and counters) that accepts the loopback server,
    /// as `CADENCE_ALLOW_PRIVATE_NETWORK=1` does.
    static func resolver() -> TrackResolver {
        TrackResolver(policy: SourcePolicy(allowPrivateNetwork: true), worker: worker, oneShot: OneShotResolver(timeout: 60))
    }

    /// The production policy: the loopback server is a private address, refused before yt-dlp runs.
    static func strictResolver() -> TrackResolver { TrackResolver(policy: SourcePolicy(), worker: nil) }
}

/// A real engine `Player` on a virtual pacer clock, sending into a recording sink that the
/// test opens frame by frame: a track stays current until the test lets it play out, however
/// fast or slow the machine is.
final class LocalEngine: Sendable {
    let sink = RecordingSink(gateAfter: 0, yieldsWhileHeld: true)
    let pacer = Pacer(clock: VirtualClock())
    let player: Player

    /// The bot's 1 s ring, so the next track is armed while the current one is still decoding.
    /// The stall watchdog counts real seconds while the pacer runs on virtual ones: set far out.
    init() {
        player = Player(
            sink: sink, pacer: pacer, options: PlayerOptions(ringCapacity: 50, stuckThreshold: .seconds(300)), unpaced: true)
    }

    /// Lets `frames` more frames reach the sink.
    func allow(_ frames: Int) { sink.allow(upTo: sink.frameCount + frames) }

    /// Lets the current track play out, and `following` frames after it (of the next track,
    /// or the closing silence).
    func finishTrack(following: Int = 25) {
        let remaining = (LocalTracks.milliseconds - (player.positionMs ?? 0)) / 20 + 1
        allow(Int(max(0, remaining)) + following)
    }

    /// Waits until the sink has taken `count` frames.
    func waitForFrames(_ count: Int) async -> Bool { await eventually { self.sink.frameCount >= count } }

    func shutdown() {
        sink.release()
        player.stop()
        pacer.shutdown()
    }
}

extension GatewayVoiceJoiner {
    /// The real joiner over a gateway that was never connected: every join is refused with
    /// "the gateway is closed", and leaving a guild it never joined does nothing.
    static func offline() -> GatewayVoiceJoiner {
        GatewayVoiceJoiner(
            gateway: GatewayShardCluster(), pacer: unusedPacer, botUserID: Snowflake("1"), logger: Logger(label: "cadence.bot.test")
        ) { _ in }
    }

    /// No join completes, so no engine is ever made on it.
    private static let unusedPacer = Pacer(clock: VirtualClock())
}

/// Polls `condition` until it holds or 10 s pass; the player reacts to engine events on its own task.
func eventually(_ condition: @Sendable () async -> Bool) async -> Bool {
    for _ in 0..<1000 {
        if await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return false
}

extension CommandRouter {
    /// A router on the real resolver and the offline joiner.
    static func local(
        resolver: TrackResolver = LocalTracks.resolver(), settings: GuildSettingsRepository? = nil,
        clock: any Clock<Duration> = ContinuousClock()
    ) -> CommandRouter {
        CommandRouter(.init(resolver: resolver, voice: .offline(), settings: settings, clock: clock))
    }

    /// What a join leaves behind: the guild's player holding an engine on `channelID`, so a
    /// /play from that channel needs no voice connection of its own.
    func connect(_ guildID: String = "g1", channelID: String = "voice-1") async -> LocalEngine {
        let engine = LocalEngine()
        await player(for: guildID).attach(engine.player, channelID: channelID)
        return engine
    }
}
