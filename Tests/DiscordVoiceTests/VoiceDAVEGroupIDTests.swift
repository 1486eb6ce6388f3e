import CadenceTestSupport
import DAVEPeers
import DiscordVoice
import Foundation
import Testing
import VoiceServerSim

/// DAVE's MLS group is the voice channel (voice doc, DAVE: group id = BE64(channel_id)). A
/// connection that would offer DAVE without a usable channel id refuses to start and names what
/// is missing; it never takes another id for the group. The local server is as strict as
/// Discord: a client that uses the guild id as its group (the bug a real call found) is refused.
@Suite struct VoiceDAVEGroupIDTests {
    static let guild = "41771983423143937", user = "104694319306248192"

    static func connect(channelID: String?, userID: String = user, dave: Bool = true) async throws
        -> (VoiceServerSim, Result<VoiceConnection, any Error>)
    {
        let server = VoiceServerSim()
        try await server.start()
        var options = VoiceConnection.Options()
        options.maxDAVEProtocolVersion = dave ? 1 : 0
        let connection = VoiceConnection(
            identity: VoiceIdentity(
                guildID: guild, userID: userID, sessionID: "s-1",
                channelID: channelID),
            server: VoiceServer(endpoint: server.endpoint, token: "t"), options: options)
        do {
            try await connection.connect()
            return (server, .success(connection))
        } catch {
            return (server, .failure(error))
        }
    }

    @Test(arguments: [(nil, "channel_id"), ("general", "channel_id")] as [(String?, String)])
    func withoutAChannelSnowflakeADAVEConnectionFailsNamingIt(channel: String?, field: String) async throws {
        let (server, result) = try await Self.connect(channelID: channel)
        #expect(throws: VoiceError.daveIdentity(field: field, value: channel)) { try result.get() }
        #expect(server.report(includeAudio: false).gateway.connections == 0, "it connected before failing")
        await server.shutdown()
    }

    @Test func aUserIDThatIsNotASnowflakeFailsToo() async throws {
        let (server, result) = try await Self.connect(channelID: "1151222333444555666", userID: "bot")
        #expect(throws: VoiceError.daveIdentity(field: "user_id", value: "bot")) { try result.get() }
        await server.shutdown()
    }

    @Test func withDAVEOffTheChannelIsNotNeeded() async throws {
        let (server, result) = try await Self.connect(channelID: nil, dave: false)
        let connection = try result.get()
        let versions = server.report(includeAudio: false).gateway.negotiatedDAVEVersions
        #expect(!versions.isEmpty && versions.allSatisfy { $0 == 0 }, "\(versions)")
        await connection.disconnect()
        await server.shutdown()
    }

    /// The old bug: the group id is the guild's. The peers hold the channel's group; Cadence cannot
    /// join it, answers op 31, and is never heard end to end encrypted.
    @Test(DAVELab.peersAvailable, arguments: DAVEPeer.Implementation.allCases)
    func aClientUsingTheGuildAsItsGroupIsRefused(_ implementation: DAVEPeer.Implementation) async throws {
        try await DAVELab.run { lab in
            let peer = try await lab.join(implementation)
            let other = try await lab.join(implementation == .davey ? .libdave : .davey)
            #expect(await lab.settle(members: [peer, other]))
            let cadence = DAVECadenceMember(server: lab.server, channelID: DAVELab.guildID)
            try await cadence.connect()
            _ = await lab.server.waitUntil(timeout: 10) { $0.dave.invalidReceived.contains(cadence.userID) }
            let report = lab.server.report(includeAudio: false)
            #expect(report.dave.invalidReceived.contains(cadence.userID), "\(report.dave)")
            #expect(!(await cadence.waitUntilActive(timeout: 2)))
            #expect(!report.dave.commitAuthors.contains(cadence.userID))
            await cadence.shutdown()
        }
    }

    /// Two voice channels of one guild are two calls with two MLS groups: their members never
    /// hear of each other and show different privacy codes.
    @Test(DAVELab.peersAvailable)
    func twoChannelsOfOneGuildAreTwoCallsWithTwoGroups() async throws {
        let server = VoiceServerSim()
        try await server.start()
        let (general, music): (UInt64, UInt64) = (1_151_222_333_444_555_666, 1_151_222_333_444_555_777)
        let first = try await DAVEPeer.pair(in: general, guildID: Self.guild, server: server)
        let second = try await DAVEPeer.pair(
            in: music, guildID: Self.guild, server: server,
            firstUserID: 700_000_000_000_000_011)
        #expect(Set(server.usersInChannel(general)) == Set(first.map(\.userID)))
        #expect(Set(server.usersInChannel(music)) == Set(second.map(\.userID)))
        let codes = [try await first[0].privacyCode(), try await second[0].privacyCode()]
        #expect(codes[0] != nil && codes[1] != nil && codes[0] != codes[1], "\(codes)")
        for peer in first + second {
            let heardOf = peer.events("clients").compactMap { $0["joined"] as? [String] }.flatMap { $0 }
            let others = (first.contains { $0 === peer } ? second : first).map(\.userID)
            #expect(Set(heardOf).isDisjoint(with: others), "\(peer.name) heard of \(heardOf)")
        }
        for peer in first + second { await peer.quit() }
        await server.shutdown()
    }
}
