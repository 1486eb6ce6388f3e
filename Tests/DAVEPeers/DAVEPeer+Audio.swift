import CadenceTestSupport
import Foundation
import Testing
import VoiceServerSim

extension DAVEPeer {
    /// davey and libdave as two users of `guildID` in voice channel `channel`, both in its MLS
    /// group (each executed a transition into the same epoch, whoever won the commit) before
    /// this returns.
    public static func pair(
        in channel: UInt64, guildID: String, server: VoiceServerSim,
        firstUserID: UInt64 = 700_000_000_000_000_001
    ) async throws -> [DAVEPeer] {
        var peers: [DAVEPeer] = []
        for (index, implementation) in Implementation.allCases.enumerated() {
            let peer = try DAVEPeer(
                implementation, userID: "\(firstUserID + UInt64(index))", server: server,
                guildID: guildID, channelID: channel)
            try await peer.waitFor("key_package")
            peers.append(peer)
        }
        let settled = await server.waitUntil(timeout: 20) { _ in
            let codes = peers.map { $0.events("execute").last?["privacy_code"] as? String }
            return codes[0] != nil && codes[0] == codes[1] && server.usersInChannel(channel).count == 2
        }
        #expect(settled, "the peers did not settle into one group in channel \(channel): \(peers.map(\.recentEvents))")
        return peers
    }

    /// From the first E2EE frame on, nothing is plain; each peer opens at least 99 % of the E2EE
    /// frames, and what it opened decodes to a 440 Hz tone.
    public static func expect(
        _ peers: [DAVEPeer], decrypt stream: VoiceServerReport.Stream, from bot: String,
        atLeast minimum: Int, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        #expect(
            stream.plainAfterE2EE == 0, "\(stream.plainAfterE2EE) plain frames after the transition",
            sourceLocation: sourceLocation)
        let frames = stream.e2eeCaptured
        #expect(
            frames.count >= minimum && frames.count == stream.e2eeFrames,
            "\(frames.count) E2EE frames captured of \(stream.e2eeFrames)", sourceLocation: sourceLocation)
        for peer in peers {
            let opened = try await peer.decrypt(frames, from: bot)
            let share = Double(opened.compactMap { $0 }.count) / Double(max(1, frames.count))
            #expect(
                share >= 0.99, "\(peer.name) decrypted \(share * 100) % of \(frames.count); its last events: \(peer.recentEvents)",
                sourceLocation: sourceLocation)
            let decoded = VoiceServerSim.decodeOpus(opened.compactMap { $0 })
            #expect(decoded.failures == 0, sourceLocation: sourceLocation)
            let left = stride(from: 0, to: decoded.pcm.count, by: 2).map { Float(decoded.pcm[$0]) / 32_768 }
            let pitch = ToneAnalysis.frequency(Array(left.dropFirst(4_800).prefix(96_000)), sampleRate: 48_000)
            #expect(abs((pitch ?? 0) - 440) <= 2, "\(peer.name) heard \(pitch ?? 0) Hz", sourceLocation: sourceLocation)
            print(
                String(
                    format: "DAVE: %@ opened %d of %d E2EE frames (%.1f %%) from %@, %.2f Hz; %d plain before, %d after the transition",
                    peer.name, opened.compactMap { $0 }.count, frames.count, share * 100, bot, pitch ?? 0,
                    stream.plainFrames, stream.plainAfterE2EE))
        }
    }
}
