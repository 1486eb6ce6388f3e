import DAVE
import Foundation
import NIOCore

/// The DAVE half of the voice gateway: who is in the channel, the binary opcodes, and turning
/// `DAVEChannel`'s decisions into numbered frames and timers.
extension VoiceServerSim {
    /// Registers `userID` as in the channel after its op 4, announces it (op 11 both ways) and,
    /// with DAVE on, sends its op 25. Returns the other users already present.
    @discardableResult
    func enterChannel(userID: String, sessionID: String, daveVersion: Int) -> [String] {
        let others = state.withLock { state -> [String] in
            // A user whose socket dropped is still in the channel until its departure (it may
            // resume), so it is announced too.
            var others = state.userSessions.keys.filter { $0 != userID }.sorted()
            state.userSessions[userID] = sessionID
            if var listener = state.listener, let user = UInt64(userID) {
                _ = listener.handle(.clientsConnected([user]))
                state.listener = listener
                others.append(listener.userID)
            }
            return others
        }
        if !others.isEmpty {
            send(op: 11, data: ["user_ids": others], to: sessionID)
            for other in others { send(op: 11, data: ["user_ids": [userID]], toUser: other) }
        }
        if daveVersion >= 1 { daveEvent { $0.join(userID) } }
        return others
    }

    /// After `leaveGrace` without a resume, the session's user has left: op 13 to the others and
    /// the DAVE consequences (Remove, revoke, sole-member reset).
    func scheduleDeparture(ofSession sessionID: String) {
        let grace = TimeAmount.nanoseconds(Int64(configuration.leaveGrace * 1e9))
        group.next().scheduleTask(in: grace) { [weak self] in
            guard let self else { return }
            let departed = self.state.withLock { state -> (user: String, dave: Bool)? in
                guard !state.shuttingDown, !state.isConnected(session: sessionID),
                      let record = state.sessions[sessionID], state.userSessions[record.userID] == sessionID
                else { return nil }
                state.userSessions[record.userID] = nil
                if var listener = state.listener, let user = UInt64(record.userID) {
                    _ = listener.handle(.clientDisconnected(user))
                    state.listener = listener
                }
                return (record.userID, record.daveVersion >= 1)
            }
            guard let departed else { return }
            for other in self.state.withLock({ Array($0.userSessions.keys) }) {
                self.send(op: 13, data: ["user_id": departed.user], toUser: other)
            }
            if departed.dave { self.daveEvent { $0.leave(departed.user) } }
        }
    }

    func receiveBinary(_ frame: [UInt8], id: ObjectIdentifier) {
        let sender = state.withLock { state -> String? in
            guard let session = state.connections[id]?.sessionID, let record = state.sessions[session],
                  record.daveVersion >= 1
            else { return nil }
            return record.userID
        }
        // DAVE binaries are only valid once DAVE was negotiated.
        guard let sender, let message = try? DAVEBinaryMessage.parseClientFrame(frame) else { return close(id: id, code: 4002) }
        switch message {
        case let .keyPackage(bytes): daveEvent { $0.keyPackage(bytes, from: sender) }
        case let .commitWelcome(bytes): daveEvent { $0.commitWelcome(bytes, from: sender) }
        default: close(id: id, code: 4002)  // server → client opcodes
        }
    }

    func daveTransitionReply(op: Int, fields: [String: Any], sessionID: String) {
        let user = state.withLock { $0.sessions[sessionID].flatMap { $0.daveVersion >= 1 ? $0.userID : nil } }
        guard let user, let id = (fields["transition_id"] as? NSNumber)?.intValue, let transition = UInt16(exactly: id) else {
            return
        }
        daveEvent { op == 23 ? $0.ready(transition, from: user) : $0.invalidCommitWelcome(transition, from: user) }
    }

    /// Runs one event through the channel under the lock, then delivers what it decided.
    /// Events arrive on the one event loop, so deliveries keep the order they were decided in.
    func daveEvent(_ body: (inout DAVEChannel) -> DAVEEffects) {
        deliver(state.withLock { state in state.route(body(&state.dave)) })
    }

    /// Writes what the channel decided to the members' sockets and arms transition deadlines.
    func deliver(_ effects: DAVEEffects) {
        for delivery in effects.deliveries {
            switch delivery.message {
            case let .json(op, data): send(op: op, data: data.foundation, toUser: delivery.userID)
            case let .binary(message): sendBinary(message, toUser: delivery.userID)
            }
        }
        for transition in effects.armTimeouts {
            let timeout = TimeAmount.nanoseconds(Int64(configuration.transitionTimeout * 1e9))
            group.next().scheduleTask(in: timeout) { [weak self] in
                guard let self, !self.state.withLock({ $0.shuttingDown }) else { return }
                self.daveEvent { $0.transitionTimedOut(transition) }
            }
        }
    }

    /// Sends `[seq u16][op][payload]`, numbered on the session's counter and kept for replay.
    func sendBinary(_ message: DAVEBinaryMessage, toUser userID: String) {
        guard let session = state.withLock({ $0.userSessions[userID] }) else { return }
        sendNumbered(to: session) { .binary(message.serverFrame(sequence: UInt16(truncatingIfNeeded: $0))) }
    }

    func send(op: Int, data: Any?, toUser userID: String) {
        guard let session = state.withLock({ $0.userSessions[userID] }) else { return }
        send(op: op, data: data, to: session)
    }

    func send(op: Int, data: Any?, to sessionID: String) {
        sendNumbered(to: sessionID) { .text(Self.encode(["op": op, "d": data ?? NSNull(), "seq": $0])) }
    }

    /// Numbers and buffers a message for `sessionID` even while its socket is gone (a client
    /// about to resume gets it replayed after op 9), and writes it when connected.
    func sendNumbered(to sessionID: String, _ make: (Int) -> OutboundFrame) {
        let routed = state.withLock { state -> (ObjectIdentifier?, OutboundFrame)? in
            guard var record = state.sessions[sessionID] else { return nil }
            record.seq += 1
            let frame = make(record.seq)
            record.buffered.append((record.seq, frame))
            if record.buffered.count > 200 { record.buffered.removeFirst() }
            state.sessions[sessionID] = record
            return (state.connection(ofSession: sessionID), frame)
        }
        if let (id, frame) = routed, let id { write(frame, to: id) }
    }

    // MARK: Test hooks

    /// Corrupts the next op 29 sent to a member other than the commit's author (its last byte,
    /// inside the membership tag), so that member fails the commit and answers op 31.
    /// With `userID`, only an op 29 to that user is corrupted.
    public func corruptNextAnnouncement(to userID: String? = nil) {
        state.withLock {
            $0.dave.corruptNextAnnouncement = true
            $0.dave.corruptionTarget = userID
        }
    }

    /// Drops every commit from `userID` (as if it always lost the race), or stops doing so.
    public func ignoreCommits(from userID: String, _ ignore: Bool = true) {
        state.withLock {
            if ignore { $0.dave.ignoredCommitters.insert(userID) } else { $0.dave.ignoredCommitters.remove(userID) }
        }
    }

    /// Drops `userID`'s voice WebSocket without a close frame (the client sees 1006 and
    /// resumes), and holds any resume of it for `holdingResumeFor` seconds so that messages
    /// sent meanwhile must come back by replay.
    public func dropConnection(ofUser userID: String, holdingResumeFor seconds: Double = 0) {
        let channel = state.withLock { state -> (any Channel)? in
            guard let session = state.userSessions[userID], let id = state.connection(ofSession: session) else { return nil }
            state.resumeHeldUntil[session] = SimClock.nanoseconds() + UInt64(seconds * 1e9)
            return state.connections[id]?.channel
        }
        channel?.close(promise: nil)
    }

    /// The user ids in the channel now (including one whose socket dropped within `leaveGrace`).
    public var usersInChannel: [String] { state.withLock { $0.userSessions.keys.sorted() } }
}

extension VoiceServerSim.State {
    /// Hands deliveries for the in-server listener to its session and its replies back to the
    /// channel, until nothing is left for it; returns what goes out over sockets, in order.
    mutating func route(_ effects: DAVEEffects) -> DAVEEffects {
        var outgoing = DAVEEffects()
        var pending = [effects]
        while !pending.isEmpty {
            let next = pending.removeFirst()
            outgoing.armTimeouts += next.armTimeouts
            for delivery in next.deliveries {
                guard var member = listener, delivery.userID == member.userID else {
                    outgoing.deliveries.append(delivery)
                    continue
                }
                guard let input = DAVEListener.input(for: delivery.message) else { continue }
                let replies = member.handle(input)
                listener = member
                for reply in replies { pending.append(dave.reply(reply, from: member.userID)) }
            }
        }
        return outgoing
    }

    func connection(ofSession session: String) -> ObjectIdentifier? {
        connections.first { $0.value.sessionID == session }?.key
    }

    func isConnected(session: String) -> Bool { connection(ofSession: session) != nil }
}

extension VoiceServerSim {
    /// Puts a member into the channel that lives inside the server: Cadence's own DAVE session
    /// and frame decryptors (`DAVEListener`). From then on the server opens, decodes and times
    /// every member's E2EE audio itself. The others hear of it by op 11 like any user.
    public func addDAVEListener(userID: String = "300000000000000001") {
        let others = state.withLock { state in state.userSessions.keys.sorted() }
        let effects = state.withLock { state -> DAVEEffects in
            guard state.listener == nil, var listener = DAVEListener(userID: userID, channelID: configuration.channelID)
            else { return DAVEEffects() }
            // Its key package waits until op 25 has created its pending group, as on a socket.
            var keyPackage = listener.handle(.sessionDescription(protocolVersion: 1))
            keyPackage += listener.handle(.clientsConnected(others.compactMap { UInt64($0) }))
            state.listener = listener
            var outgoing = state.route(state.dave.join(userID))
            for reply in keyPackage { outgoing.append(state.route(state.dave.reply(reply, from: userID))) }
            return outgoing
        }
        for other in others { send(op: 11, data: ["user_ids": [userID]], toUser: other) }
        deliver(effects)
    }

    /// Decrypts `frames` that `sender` DAVE-encrypted, with the listener's ratchets (nil where
    /// none authenticates, or without a listener).
    public func listenerDecrypt(_ frames: [[UInt8]], from sender: String) -> [[UInt8]?] {
        state.withLock { state in frames.map { state.listener?.open($0, from: sender) } }
    }

    /// The listener's voice privacy code and whether its group is established.
    public var listenerPrivacyCode: String? { state.withLock { $0.listener?.session.privacyCode } }
}
