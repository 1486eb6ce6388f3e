import Foundation
import Logging
import Synchronization

/// One shard's connection to Discord's gateway v10, kept alive across drops: heartbeats,
/// Identify, Resume, INVALID_SESSION, RECONNECT and the close-code policy (doc §1).
///
/// Use: `let gateway = GatewayClient(configuration:)`, `let ready = try await gateway.connect(token:)`,
/// then `for try await event in gateway.events { … }`. Send voice joins with `updateVoiceState`.
///
/// Guarantees:
/// - `events` yields every dispatch once, in sequence order, across resumes (Discord replays
///   what was missed); it ends with a `GatewayError` on a fatal close (4004, 4010–4014) and
///   without error after `close()`;
/// - a dropped socket, a zombie connection (no heartbeat ACK), op 7 and op 9 `true` resume the
///   session on `resume_gateway_url` with the last sequence; op 9 `false`, 4007 and 4009
///   re-identify after a random delay;
/// - the client closes with 4000 when it wants to resume, never 1000/1001 (those end the session);
/// - voice state updates sent while reconnecting are held and sent once the session is back.
package final class GatewayClient: Sendable {
    /// Tunables; the defaults are what production uses, tests shorten the delays.
    package struct Configuration: Sendable {
        package var endpoints: DiscordEndpoints
        package var presence: Presence?
        package var largeThreshold: Int
        /// Wait before re-identifying after INVALID_SESSION `false` (doc §1.9: 1–5 s).
        package var reidentifyDelay: ClosedRange<Double>
        /// Base wait before a reconnect; doubled per consecutive failure up to `maxReconnectDelay`.
        package var reconnectDelay: Double
        package var maxReconnectDelay: Double
        /// Failed attempts to open the first connection before `connect` throws.
        package var initialConnectAttempts: Int
        /// Own sends allowed per 60 s (Discord closes at 120; heartbeats need headroom).
        package var sendsPerMinute: Int
        /// The window `sendsPerMinute` counts over: Discord's is 60 s; tests shorten it.
        package var sendWindow: Double
        /// Ask for `compress=zlib-stream` transport compression (one inflate context per connection).
        package var zlibStream: Bool
        /// Seconds to wait for Hello after the socket opened before giving up on it.
        package var helloTimeout: Double

        package init(
            endpoints: DiscordEndpoints = DiscordEndpoints(), presence: Presence? = Presence(),
            largeThreshold: Int = 250, reidentifyDelay: ClosedRange<Double> = 1...5,
            reconnectDelay: Double = 0.5, maxReconnectDelay: Double = 30, initialConnectAttempts: Int = 5,
            sendsPerMinute: Int = 110, zlibStream: Bool = false
        ) {
            self.zlibStream = zlibStream
            self.helloTimeout = 15
            self.endpoints = endpoints
            self.presence = presence
            self.largeThreshold = largeThreshold
            self.reidentifyDelay = reidentifyDelay
            self.reconnectDelay = reconnectDelay
            self.maxReconnectDelay = maxReconnectDelay
            self.initialConnectAttempts = initialConnectAttempts
            self.sendsPerMinute = sendsPerMinute
            self.sendWindow = 60
        }
    }

    /// Counters for health checks and tests.
    package struct Statistics: Sendable, Equatable {
        package var connections = 0
        package var identifies = 0
        package var resumes = 0
        package var resumed = 0
        package var invalidSessions = 0
        package var zombieReconnects = 0
        package var closeCodes: [Int] = []
    }

    struct State {
        var token = ""
        var intents = GatewayIntents.musicBot
        var shard = ShardID.single
        var baseURL: String?
        var sessionID: String?
        var resumeURL: String?
        var seq: Int?
        var botUser: User?
        var connection: GatewayConnection?
        var isReady = false
        var pending: [GatewayCommand] = []
        var readyWaiter: CheckedContinuation<Ready, any Error>?
        var stopRequested = false
        var runTask: Task<Void, Never>?
        var statistics = Statistics()
    }

    package let configuration: Configuration
    /// Every dispatch, typed. Create one client per consumer: the stream is single-consumer.
    package let events: AsyncThrowingStream<GatewayEvent, any Error>
    let eventInput: AsyncThrowingStream<GatewayEvent, any Error>.Continuation
    let state = Mutex(State())
    let logger: Logger

    package init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "cadence.discord.gateway")) {
        self.configuration = configuration
        self.logger = logger
        (events, eventInput) = AsyncThrowingStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Opens the session and returns READY. The gateway URL comes from the configuration or
    /// GET /gateway/bot. Throws a `GatewayError` for a fatal close (e.g. `.invalidToken`) or
    /// when no connection could be opened.
    @discardableResult
    package func connect(
        token: String, intents: GatewayIntents = .musicBot,
        shard: ShardID = .single
    ) async throws(GatewayError) -> Ready {
        let base: String
        if let configured = configuration.endpoints.gatewayURL {
            base = configured
        } else {
            let rest = DiscordREST(configuration: .init(token: token, baseURL: configuration.endpoints.apiBaseURL))
            do {
                let info = try await rest.getGatewayBot()
                if info.sessionStartLimit.remaining <= 0 {
                    throw GatewayError.identifyBudgetExhausted(resetAfterMs: info.sessionStartLimit.resetAfter)
                }
                base = info.url
            } catch let error as GatewayError {
                throw error
            } catch DiscordRESTError.unauthorized {
                throw .invalidToken
            } catch {
                throw .connectionFailed("GET /gateway/bot: \(error)")
            }
        }
        return try await connect(token: token, intents: intents, shard: shard, gatewayURL: base)
    }

    /// `connect` with a gateway URL already known (the shard cluster fetched it once).
    func connect(token: String, intents: GatewayIntents, shard: ShardID, gatewayURL: String) async throws(GatewayError) -> Ready {
        do {
            return try await withCheckedThrowingContinuation { continuation in
                let started = state.withLock { state -> Bool in
                    guard state.runTask == nil, !state.stopRequested else { return false }
                    state.token = token
                    state.intents = intents
                    state.shard = shard
                    state.baseURL = gatewayURL
                    state.readyWaiter = continuation
                    state.runTask = Task { await self.runLoop() }
                    return true
                }
                if !started { continuation.resume(throwing: GatewayError.closed) }
            }
        } catch let error as GatewayError {
            throw error
        } catch {
            throw .connectionFailed("\(error)")
        }
    }

    /// Joins, moves (another channel) or leaves (`channel: nil`) voice in `guild` (op 4).
    /// While the gateway is reconnecting the update is held and sent once the session is back.
    package func updateVoiceState(
        guild: Snowflake, channel: Snowflake?, selfDeaf: Bool = true,
        selfMute: Bool = false
    ) throws(GatewayError) {
        let command = GatewayCommand.updateVoiceState(guild: guild, channel: channel, selfMute: selfMute, selfDeaf: selfDeaf)
        // Under the client lock, so the connection cannot be retired between the check and the
        // hand-over; a retired connection gives back what it did not write (runLoop).
        let accepted = state.withLock { state -> Bool in
            guard !state.stopRequested else { return false }
            if state.isReady, let connection = state.connection {
                connection.sendHeld(command)
            } else {
                state.pending.append(command)
            }
            return true
        }
        guard accepted else { throw .closed }
    }

    /// Closes with 1000 (the session ends, the bot goes offline) and finishes `events`.
    package func close() async {
        let (connection, task) = state.withLock { state -> (GatewayConnection?, Task<Void, Never>?) in
            state.stopRequested = true
            return (state.connection, state.runTask)
        }
        connection?.close(code: 1000, end: .requested)
        if connection == nil { task?.cancel() }
        await task?.value
        eventInput.finish()
    }

    /// The bot user from READY.
    package var botUser: User? { state.withLock { $0.botUser } }
    /// The current session id (nil before READY or after it was invalidated).
    package var sessionID: String? { state.withLock { $0.sessionID } }
    /// The last dispatch sequence number.
    package var lastSequence: Int? { state.withLock { $0.seq } }
    /// True while a session is up (after READY or RESUMED, until the socket goes).
    package var isConnected: Bool { state.withLock { $0.isReady } }
    package var statistics: Statistics { state.withLock { $0.statistics } }
}
