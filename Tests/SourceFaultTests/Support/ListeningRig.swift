import AudioEngine
import CadenceTestSupport
import DiscordVoice
import Foundation
import MediaServerSim
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
        let identity = VoiceIdentity(guildID: "41771983423143937", userID: "104694319306248192",
                                     sessionID: "session-\(UUID().uuidString.prefix(8))")
        connection = VoiceConnection(identity: identity, server: VoiceServer(endpoint: voice.endpoint, token: "token-1"))
        player = Player(sink: connection.sender, pacer: pacer, options: options)
    }

    /// Starts both servers and connects.
    static func start(options: PlayerOptions = PlayerOptions()) async throws -> ListeningRig {
        let media = try await MediaServer.start()
        let voice = VoiceServerSim()
        try await voice.start()
        let rig = ListeningRig(media: media, voice: voice, options: options)
        try await rig.connection.connect()
        return rig
    }

    /// Plays `source` and returns every player event up to and including the track's end
    /// (`finished` or `failed`); throws after `timeout`.
    func play(_ source: TrackSource, timeout: Duration = .seconds(120)) async throws -> [PlayerEvent] {
        player.play(source)
        let player = player
        return try await withThrowingTaskGroup(of: [PlayerEvent].self) { group in
            group.addTask {
                var seen: [PlayerEvent] = []
                for await event in player.events {
                    seen.append(event)
                    switch event {
                    case .finished, .failed: return seen
                    default: continue
                    }
                }
                throw CancellationError()
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw RigError.timedOut(source.location)
            }
            defer { group.cancelAll() }
            return try await group.next() ?? []
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

enum RigError: Error, CustomStringConvertible {
    case timedOut(String)

    var description: String {
        switch self {
        case let .timedOut(source): "\(source) did not finish in time"
        }
    }
}
