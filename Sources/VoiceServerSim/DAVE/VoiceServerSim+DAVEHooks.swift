import DAVE
import Foundation
import NIOCore

/// DAVE fault injection and the in-server listener, for tests.
extension VoiceServerSim {
    /// Corrupts the next op 29 sent to a member other than the commit's author (its last byte,
    /// inside the membership tag), so that member fails the commit and answers op 31.
    /// With `userID`, only an op 29 to that user is corrupted. Applies to every call.
    package func corruptNextAnnouncement(to userID: String? = nil) {
        state.withLock { state in
            for guild in state.calls.keys {
                state.calls[guild]?.dave.corruptNextAnnouncement = true
                state.calls[guild]?.dave.corruptionTarget = userID
            }
        }
    }

    /// Drops every commit from `userID` (as if it always lost the race), or stops doing so.
    package func ignoreCommits(from userID: String, _ ignore: Bool = true) {
        state.withLock { state in
            for guild in state.calls.keys {
                if ignore {
                    state.calls[guild]?.dave.ignoredCommitters.insert(userID)
                } else {
                    state.calls[guild]?.dave.ignoredCommitters.remove(userID)
                }
            }
        }
    }

    /// Drops `userID`'s voice WebSocket without a close frame (the client sees 1006 and
    /// resumes), and holds any resume of it for `holdingResumeFor` seconds so that messages
    /// sent meanwhile must come back by replay.
    package func dropConnection(ofUser userID: String, holdingResumeFor seconds: Double = 0) {
        let channel = state.withLock { state -> (any Channel)? in
            guard let session = state.calls.values.compactMap({ $0.userSessions[userID] }).first,
                let id = state.connection(ofSession: session)
            else { return nil }
            state.resumeHeldUntil[session] = SimClock.nanoseconds() + UInt64(seconds * 1e9)
            return state.connections[id]?.channel
        }
        channel?.close(promise: nil)
    }

    /// The user ids in channel `channelID`'s call now (including one whose socket dropped within
    /// `leaveGrace`); the configured channel when nil.
    package func usersInChannel(_ channelID: UInt64? = nil) -> [String] {
        state.withLock { $0.calls[channelID ?? configuration.channelID]?.userSessions.keys.sorted() ?? [] }
    }

    /// Says which voice channel `userID` is in within `guildID`, as the main gateway's voice state
    /// does for Discord's voice server (nil: the configured `channelID`). A session identifying
    /// afterwards joins that channel's call, and its DAVE group id must be that channel's.
    public func setVoiceChannel(_ channelID: UInt64?, forUser userID: String, inGuild guildID: String) {
        state.withLock { $0.voiceChannels["\(guildID)/\(userID)"] = channelID }
    }

    /// Puts a member into a channel's call (the configured one when nil) that lives inside the
    /// server: Cadence's own DAVE session and frame decryptors (`DAVEListener`). From then on the
    /// server opens, decodes and times that call's E2EE audio itself. The others hear of it by
    /// op 11 like any user.
    public func addDAVEListener(userID: String = "300000000000000001", channelID: UInt64? = nil) {
        let guildID = channelID ?? configuration.channelID
        let others = state.withLock { state in state.withCall(guildID) { $0.userSessions.keys.sorted() } }
        let effects = state.withLock { state -> DAVEEffects in
            state.withCall(guildID) { call in
                guard call.listener == nil, var listener = DAVEListener(userID: userID, channelID: guildID)
                else { return DAVEEffects() }
                // Its key package waits until op 25 has created its pending group, as on a socket.
                var keyPackage = listener.handle(.sessionDescription(protocolVersion: 1))
                keyPackage += listener.handle(.clientsConnected(others.compactMap { UInt64($0) }))
                call.listener = listener
                var outgoing = call.route(call.dave.join(userID))
                for reply in keyPackage { outgoing.append(call.route(call.dave.reply(reply, from: userID))) }
                return outgoing
            }
        }
        for other in others { send(op: 11, data: ["user_ids": [userID]], toUser: other, guild: guildID) }
        deliver(effects, guild: guildID)
    }

    /// Decrypts `frames` that `sender` DAVE-encrypted, with the listener's ratchets (nil where
    /// none authenticates, or without a listener).
    package func listenerDecrypt(_ frames: [[UInt8]], from sender: String) -> [[UInt8]?] {
        state.withLock { state in
            guard let guild = state.calls.first(where: { $0.value.listener != nil })?.key else {
                return frames.map { _ in nil }
            }
            return frames.map { frame in state.calls[guild]?.listener?.open(frame, from: sender) }
        }
    }

    /// The listener's voice privacy code, once a transition with a group executed.
    package var listenerPrivacyCode: String? {
        state.withLock { $0.calls.values.compactMap(\.listener).first?.session.privacyCode }
    }
}
