import AudioEngine
import CadenceTestSupport
import DiscordVoice
import Foundation
import MediaServerSim
import Synchronization
import VoiceServerSim

/// One listener's whole path for one source: a media server holding the file (with its
/// faults), a local voice server that decodes what it receives, a connection to it and a
/// player into that connection. Every fault mode gets its own rig, so modes play side by side.
final class ListeningRig: Sendable {
    let media: MediaServer
    let voice: VoiceServerSim
    let connection: VoiceConnection
    let pacer = Pacer()
    let player: Player

    private init(media: MediaServer, voice: VoiceServerSim, options: PlayerOptions) {
        self.media = media
        self.voice = voice
        let identity = VoiceIdentity(
            guildID: "41771983423143937", userID: "104694319306248192",
            sessionID: "session-\(UUID().uuidString.prefix(8))",
            channelID: "\(voice.configuration.channelID)")
        connection = VoiceConnection(identity: identity, server: VoiceServer(endpoint: voice.endpoint, token: "token-1"))
        player = Player(sink: connection.sender, pacer: pacer, options: options)
    }

    /// Starts both servers and connects.
    static func start(options: PlayerOptions = PlayerOptions()) async throws -> ListeningRig {
        let media = try await MediaServer.start()
        // A plain call: these tests listen to the source, not to DAVE.
        var configuration = VoiceServerSim.Configuration()
        configuration.daveProtocolVersion = 0
        let voice = VoiceServerSim(configuration: configuration)
        try await voice.start()
        let rig = ListeningRig(media: media, voice: voice, options: options)
        try await rig.connection.connect()
        return rig
    }

    /// Plays `source` and returns every player event up to and including the track's end
    /// (`finished` or `failed`). After `timeout` the track is stopped, and the events so far
    /// come back without an end, so the caller can say what hung.
    func play(_ source: TrackSource, timeout: Duration = .seconds(120)) async -> [PlayerEvent] {
        player.play(source)
        let player = player
        let seen = EventLog()
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for await event in player.events {
                    seen.append(event)
                    switch event {
                    case .finished, .failed: return
                    default: continue
                    }
                }
            }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
        let events = seen.events
        if !events.contains(where: Self.isEnd) { player.stop() }
        return events
    }

    static func isEnd(_ event: PlayerEvent) -> Bool {
        switch event {
        case .finished, .failed: true
        default: false
        }
    }

    /// What the voice server heard, once the track's five-frame silence tail has arrived.
    func heard() async -> VoiceServerReport {
        _ = await voice.waitUntil(timeout: 3) { $0.streams.first?.silenceFrames ?? 0 >= 5 }
        return voice.report()
    }

    func shutdown() async {
        await connection.disconnect()
        pacer.shutdown()
        await voice.shutdown()
        await media.shutdown()
    }
}

/// Player events collected by one task and read by another.
final class EventLog: Sendable {
    private let log = Mutex<[PlayerEvent]>([])
    func append(_ event: PlayerEvent) { log.withLock { $0.append(event) } }
    var events: [PlayerEvent] { log.withLock { $0 } }
}
