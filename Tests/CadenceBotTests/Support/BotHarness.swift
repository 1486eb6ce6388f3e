import CadenceBot
import CadenceTestSupport
import DiscordSim
import Foundation
import Logging
import MediaServerSim
import ServiceLifecycle
import Synchronization
import UMAServerSim
import VoiceServerSim

/// Everything an end-to-end bot test needs, on loopback: the Discord simulator, a voice
/// server, a media server with a 440 Hz tone, the UMA API stand-in, and the bot service
/// itself running in-process under a service group (so a test can shut it down gracefully).
final class BotHarness: Sendable {
    enum HarnessError: Error, CustomStringConvertible {
        case notReady
        var description: String { "the bot did not register its commands within 120 s" }
    }

    static let guildID = "900000000000000000"
    static let channelID = "900000000000000020"
    static let userID = "800000000000000001"
    static let otherGuildID = "910000000000000000"
    static let otherChannelID = "910000000000000020"

    let discord: DiscordSim
    let voice: VoiceServerSim
    let media: MediaServer
    let uma: UMAServerSim
    let directory: URL
    let configuration: BotConfiguration
    let group: ServiceGroup
    let service: BotService
    let run: Task<(any Error)?, Never>

    /// Starts every server and the bot; returns once the bot's commands are registered.
    /// `twoTones`: 440 Hz for the first 6 s, then 660 Hz, so a seek is audible.
    /// `secondGuild`: a second guild (``otherGuildID``) where the same user sits in voice too.
    /// `voice`: the voice server's setup. By default a plain call, since these suites listen to
    /// the source; the DAVE suites require DAVE and put independent members in the call.
    static func start(
        toneSeconds: Double = 8, twoTones: Bool = false, healthPort: Int? = nil,
        secondGuild: Bool = false, maintenance: MaintenanceSchedule = .hourly,
        simShards: Int = 1, compress: Bool = false,
        voice configureVoice: (inout VoiceServerSim.Configuration) -> Void = { $0.daveProtocolVersion = 0 }
    )
        async throws -> BotHarness
    {
        var voiceConfiguration = VoiceServerSim.Configuration()
        configureVoice(&voiceConfiguration)
        let voice = VoiceServerSim(configuration: voiceConfiguration)
        try await voice.start()
        var simConfiguration = DiscordSim.Configuration()
        simConfiguration.voiceEndpoint = voice.endpoint
        // Discord's voice server learns the bot's channel from Discord, never from the bot.
        simConfiguration.voiceStateObserver = { guild, user, channel in
            voice.setVoiceChannel(channel.flatMap { UInt64($0) }, forUser: user, inGuild: guild)
        }
        simConfiguration.shards = simShards
        simConfiguration.maxConcurrency = simShards
        if secondGuild {
            simConfiguration.guilds.append(
                SimGuild(
                    id: otherGuildID, name: "Other Guild",
                    voiceChannels: [(otherChannelID, "Other Music")],
                    voiceStates: [(userID, otherChannelID)]))
        }
        let discord = DiscordSim(configuration: simConfiguration)
        try await discord.start()
        let media = try await MediaServer.start()
        let directory = try Tools.temporaryDirectory("bot-e2e")
        let tone = directory.appendingPathComponent("tone.mp3")
        let source =
            twoTones
            ? "aevalsrc=0.125*sin(2*PI*if(lt(t\\,6)\\,440\\,660)*t):s=48000:d=\(toneSeconds)"
            : "sine=frequency=440:sample_rate=48000:duration=\(toneSeconds)"
        try await Tools.ffmpeg(["-f", "lavfi", "-i", source, "-ac", "2", "-c:a", "libmp3lame", "-b:a", "128k", tone.path])
        media.add("tone.mp3", data: try Data(contentsOf: tone), contentType: "audio/mpeg")
        let uma = try await UMAServerSim.start()
        var configuration = BotConfiguration(
            token: Secret(simConfiguration.token), discordAPI: URL(string: discord.apiBaseURL)!,
            discordGateway: URL(string: discord.gatewayURL)!, databasePath: directory.appendingPathComponent("bot.sqlite").path,
            allowPrivateNetwork: true, healthPort: healthPort, guildID: guildID, umaAPI: uma.baseURL)
        configuration.gatewayCompression = compress
        var logger = Logger(label: "cadence.bot.test")
        logger.logLevel = .warning
        let service = BotService(configuration: configuration, logger: logger, maintenance: maintenance)
        let group = ServiceGroup(
            configuration: .init(
                services: [
                    .init(
                        service: service, successTerminationBehavior: .gracefullyShutdownGroup,
                        failureTerminationBehavior: .gracefullyShutdownGroup)
                ], logger: logger))
        let run = Task<(any Error)?, Never> {
            do {
                try await group.run()
                return nil
            } catch { return error }
        }
        let harness = BotHarness(
            discord: discord, voice: voice, media: media, uma: uma, directory: directory,
            configuration: configuration, group: group, service: service, run: run)
        // Ready once it registered its commands: an interaction sent before then has no session
        // to reach. Starting (SQLite, the resolver's Python worker, the gateway) can take long on
        // a loaded machine, so the wait is generous and a bot that never gets there fails here.
        let ready = await discord.waitUntil(timeout: 120) { report in
            report.restCalls.contains { $0.method == "PUT" && $0.path.contains("/commands") && $0.status == 200 }
        }
        guard ready else {
            await harness.shutdown()
            throw HarnessError.notReady
        }
        return harness
    }

    private init(
        discord: DiscordSim, voice: VoiceServerSim, media: MediaServer, uma: UMAServerSim, directory: URL,
        configuration: BotConfiguration, group: ServiceGroup, service: BotService, run: Task<(any Error)?, Never>
    ) {
        self.service = service
        self.discord = discord
        self.voice = voice
        self.media = media
        self.uma = uma
        self.directory = directory
        self.configuration = configuration
        self.group = group
        self.run = run
    }

    var toneURL: String { "http://127.0.0.1:\(media.port)/tone.mp3" }

    /// Runs `/command` as the simulated user and waits for the bot's final answer: the edit of a
    /// deferred reply, a followup (how private errors found after deferring arrive), or an
    /// immediate message. Returns its content (nil if none came in time).
    @discardableResult
    func command(
        _ name: String, _ options: [DiscordSim.Option] = [], guildID: String? = nil,
        timeout: Double = 15
    ) async -> String? {
        let (id, token) = discord.sendInteraction(command: name, options: options, guildID: guildID)
        var answer: String?
        _ = await discord.waitUntil(timeout: timeout) { report in
            for call in report.restCalls where call.status < 300 {
                if call.method == "PATCH", call.path.contains(token), call.path.hasSuffix("@original") {
                    answer = Self.content(call.body)
                    return true
                }
                if call.method == "POST", call.path.hasSuffix("/\(token)") {
                    answer = Self.content(call.body)
                    return true
                }
                if call.method == "POST", call.path.contains("/interactions/\(id)/"), Self.callbackType(call.body) == 4 {
                    answer = Self.content(call.body)
                    return true
                }
            }
            return false
        }
        return answer
    }

    /// Stops the bot the way SIGTERM would, and returns how long that took and what it threw.
    func shutdownBot() async -> (seconds: Double, error: (any Error)?) {
        let start = ContinuousClock.now
        await group.triggerGracefulShutdown()
        let error = await run.value
        let elapsed = ContinuousClock.now - start
        return (Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18, error)
    }

    func shutdown() async {
        if !run.isCancelled { _ = await shutdownBot() }
        await discord.shutdown()
        await voice.shutdown()
        await media.shutdown()
        await uma.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    static func content(_ body: String) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
        if let data = object["data"] as? [String: Any] { return data["content"] as? String }
        return object["content"] as? String
    }

    /// Every REST call the bot made for the interaction with this id and token, in order.
    func calls(forInteraction id: String, token: String) -> [DiscordSimReport.RESTCall] {
        discord.report.restCalls.filter { $0.path.contains("/interactions/\(id)/") || $0.path.contains("/\(token)") }
    }

    static func flags(_ body: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
        if let data = object["data"] as? [String: Any] { return data["flags"] as? Int }
        return object["flags"] as? Int
    }

    static func callbackType(_ body: String) -> Int? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any] else { return nil }
        return object["type"] as? Int
    }
}
