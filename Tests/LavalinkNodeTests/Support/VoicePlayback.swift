import Foundation
import VoiceServerSim

/// A session with one player joined to a DAVE-requiring VoiceServerSim, as a Lavalink client
/// sets it up: socket, `ready`, then a PATCH with the four voice fields.
struct VoicePlayback {
    let node: NodeHarness
    let voice: VoiceServerSim
    let socket: RawWebSocket
    let ops: OpReader
    let sessionID: String
    var playerPath: String { "/v4/sessions/\(sessionID)/players/\(NodeHarness.guildID)" }

    static func start(node: NodeHarness, configure: (inout VoiceServerSim.Configuration) -> Void = { _ in })
        async throws -> VoicePlayback
    {
        var configuration = VoiceServerSim.Configuration()
        configuration.requireDAVE = true
        configuration.channelID = NodeHarness.channelID
        configure(&configuration)
        let voice = VoiceServerSim(configuration: configuration)
        try await voice.start()
        let socket = try await node.socket()
        let ops = OpReader(socket)
        guard let id = await ops.nextOp("ready")?["sessionId"] as? String else { throw NodeHarness.HarnessError("no ready") }
        return VoicePlayback(node: node, voice: voice, socket: socket, ops: ops, sessionID: id)
    }

    /// PATCHes the voice state; returns the player JSON.
    func joinVoice() async throws -> [String: Any] {
        let body = """
            {"voice":{"token":"voice-token","endpoint":"\(voice.endpoint)","sessionId":"voice-session-1","channelId":"\(NodeHarness.channelID)"}}
            """
        let reply = try await node.request(.PATCH, playerPath, json: body)
        guard reply.status == 200 else { throw NodeHarness.HarnessError("voice PATCH: \(reply.status) \(reply.text)") }
        return try reply.object()
    }

    func load(_ url: String) async throws -> [String: Any] {
        let query = url.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
        let result = try await node.request(.GET, "/v4/loadtracks?identifier=\(query)").object()
        guard result["loadType"] as? String == "track", let track = result["data"] as? [String: Any] else {
            throw NodeHarness.HarnessError("load: \(result)")
        }
        return track
    }

    func patch(_ json: String) async throws -> NodeHarness.Reply { try await node.request(.PATCH, playerPath, json: json) }

    /// Audio frames (not silence) the voice server has received on all streams.
    var heardFrames: Int { voice.report(includeAudio: false).streams.reduce(0) { $0 + $1.audioFrames } }

    func shutdown() async {
        await voice.shutdown()
    }
}
