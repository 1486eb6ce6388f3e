import DiscordGateway
import DiscordSim
import Testing

@Suite("Voice handshake: pairing state and server updates")
struct VoiceHandshakeTests {
    let guild: Snowflake = "900000000000000000"
    let bot: Snowflake = "100000000000000001"

    func state(channel: Snowflake?, session: String = "s1", user: Snowflake? = nil) -> VoiceStateUpdate {
        VoiceStateUpdate(guildID: guild, channelID: channel, userID: user ?? bot, sessionID: session)
    }

    func server(_ endpoint: String?, token: String = "t1") -> VoiceServerUpdate {
        VoiceServerUpdate(token: token, guildID: guild, endpoint: endpoint)
    }

    @Test(arguments: [false, true])
    func connectsOnceBothHalvesArrivedInEitherOrder(serverFirst: Bool) {
        var handshake = VoiceHandshake(guildID: guild, botUserID: bot)
        let first = serverFirst ? handshake.receive(server: server("voice.example:443")) : handshake.receive(state: state(channel: "c1"))
        #expect(first == nil)
        let second = serverFirst ? handshake.receive(state: state(channel: "c1")) : handshake.receive(server: server("voice.example:443"))
        #expect(
            second
                == .connect(
                    .init(
                        endpoint: "voice.example:443", token: "t1", sessionID: "s1",
                        guildID: guild, channelID: "c1", userID: bot)))
    }

    @Test func otherUsersAndGuildsAreIgnored() {
        var handshake = VoiceHandshake(guildID: guild, botUserID: bot)
        #expect(handshake.receive(state: state(channel: "c1", user: "800000000000000001")) == nil)
        #expect(handshake.receive(server: VoiceServerUpdate(token: "t", guildID: "1", endpoint: "x:1")) == nil)
        #expect(handshake.receive(server: server("voice.example:443")) == nil)
        #expect(handshake.currentChannel == nil)
    }

    @Test func nullEndpointWaitsForTheNextServerUpdate() {
        var handshake = VoiceHandshake(guildID: guild, botUserID: bot)
        #expect(handshake.receive(state: state(channel: "c1")) == nil)
        #expect(handshake.receive(server: server(nil)) == nil, "null endpoint before connecting: keep waiting")
        guard case .connect = handshake.receive(server: server("a:1")) else {
            Issue.record("no connect")
            return
        }
        #expect(handshake.receive(server: server(nil)) == .serverLost)
        guard case let .connect(connection) = handshake.receive(server: server("b:2", token: "t2")) else {
            Issue.record("no reconnect after the server came back")
            return
        }
        #expect(connection.endpoint == "b:2")
        #expect(connection.token == "t2")
    }

    @Test func moveStartsANewHandshake() {
        var handshake = VoiceHandshake(guildID: guild, botUserID: bot)
        _ = handshake.receive(state: state(channel: "c1"))
        _ = handshake.receive(server: server("a:1"))
        #expect(handshake.receive(state: state(channel: "c2", session: "s2")) == nil, "a move waits for its server update")
        guard case let .connect(connection) = handshake.receive(server: server("a:1", token: "t2")) else {
            Issue.record("no connect after the move")
            return
        }
        #expect(connection.channelID == "c2")
        #expect(connection.sessionID == "s2")
    }

    @Test func kickedEndsOnce() {
        var handshake = VoiceHandshake(guildID: guild, botUserID: bot)
        _ = handshake.receive(state: state(channel: "c1"))
        _ = handshake.receive(server: server("a:1"))
        #expect(handshake.receive(state: state(channel: nil)) == .ended)
        #expect(handshake.receive(state: state(channel: nil)) == nil)
    }

    @Test(arguments: [false, true])
    func joiningThroughTheSimulatorYieldsItsVoiceEndpoint(serverFirst: Bool) async throws {
        let harness = try await SimHarness {
            $0.voiceEndpoint = "127.0.0.1:4567"
            $0.voiceServerFirst = serverFirst
        }
        let ready = try await harness.client.connect(token: "sim-token")
        try harness.client.updateVoiceState(guild: guild, channel: "900000000000000020")
        #expect(
            await harness.wait { harness.eventNames.contains("VOICE_SERVER_UPDATE") && harness.eventNames.contains("VOICE_STATE_UPDATE") })
        var handshake = VoiceHandshake(guildID: guild, botUserID: ready.user.id)
        let updates = harness.events.compactMap { handshake.receive($0) }
        guard case let .connect(connection) = updates.first else {
            Issue.record("no connect from \(harness.eventNames)")
            return
        }
        #expect(updates.count == 1)
        #expect(connection.endpoint == "127.0.0.1:4567")
        #expect(connection.channelID == "900000000000000020")
        #expect(
            harness.sim.report.voiceStateCommands == [
                .init(
                    guildID: guild.rawValue, channelID: "900000000000000020",
                    selfDeaf: true, selfMute: false)
            ])
        try harness.client.updateVoiceState(guild: guild, channel: nil)
        #expect(await harness.wait { harness.eventNames.filter { $0 == "VOICE_STATE_UPDATE" }.count == 2 })
        guard case let .voiceStateUpdate(left) = harness.events.last(where: { $0.name == "VOICE_STATE_UPDATE" }) else {
            Issue.record("no VOICE_STATE_UPDATE for the leave")
            return
        }
        #expect(handshake.receive(state: left) == .ended)
        await harness.stop()
    }
}
