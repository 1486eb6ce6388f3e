import DAVE
import Foundation
import NIOCore

/// One call on the server: a voice channel, who is in it and its DAVE group (whose id is the
/// channel's). Sessions in different channels never see each other, even in one guild (the
/// benchmark's N bots are N separate calls).
struct CallState: Sendable {
    /// User id → its current session.
    var userSessions: [String: String] = [:]
    var dave: DAVEChannel
    /// The in-server member (Cadence's DAVE session) when a test added one.
    var listener: DAVEListener?

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
}

/// The DAVE half of the voice gateway: who is in which call, the binary opcodes, and turning
/// `DAVEChannel`'s decisions into numbered frames and timers.
extension VoiceServerSim {
    /// Registers `userID` as in its channel's call after its op 4, announces it (op 11 both ways)
    /// and, with DAVE on, sends its op 25. Returns the other users already present.
    @discardableResult
    func enterChannel(userID: String, sessionID: String, call guild: UInt64, daveVersion: Int) -> [String] {
        let others = state.withLock { state -> [String] in
            state.withCall(guild) { call in
                // A user whose socket dropped is still in the call until its departure (it may
                // resume), so it is announced too.
                var others = call.userSessions.keys.filter { $0 != userID }.sorted()
                call.userSessions[userID] = sessionID
                if var listener = call.listener, let user = UInt64(userID) {
                    _ = listener.handle(.clientsConnected([user]))
                    call.listener = listener
                    others.append(listener.userID)
                }
                return others
            }
        }
        if !others.isEmpty {
            send(op: 11, data: ["user_ids": others], to: sessionID)
            for other in others { send(op: 11, data: ["user_ids": [userID]], toUser: other, guild: guild) }
        }
        if daveVersion >= 1 { daveEvent(guild) { $0.join(userID) } }
        return others
    }

    /// After `leaveGrace` without a resume, the session's user has left: op 13 to the others and
    /// the DAVE consequences (Remove, revoke, sole-member reset).
    func scheduleDeparture(ofSession sessionID: String) {
        let grace = TimeAmount.nanoseconds(Int64(configuration.leaveGrace * 1e9))
        group.next().scheduleTask(in: grace) { [weak self] in
            guard let self else { return }
            let record = self.state.withLock { state -> SessionRecord? in
                guard !state.shuttingDown, !state.isConnected(session: sessionID) else { return nil }
                return state.sessions[sessionID]
            }
            if let record { self.depart(record) }
        }
    }

    /// `record`'s user leaves `record`'s call, if that session is still the user's there: op 13
    /// to the others and the DAVE consequences. A move does this at once, since the old
    /// channel's group must not keep a member that now sits in another.
    func depart(_ record: SessionRecord) {
        let departed = state.withLock { state -> [String]? in
            guard state.calls[record.channelID]?.userSessions[record.userID] == record.sessionID else { return nil }
            return state.withCall(record.channelID) { call in
                call.userSessions[record.userID] = nil
                if var listener = call.listener, let user = UInt64(record.userID) {
                    _ = listener.handle(.clientDisconnected(user))
                    call.listener = listener
                }
                return Array(call.userSessions.keys)
            }
        }
        guard let departed else { return }
        for other in departed { send(op: 13, data: ["user_id": record.userID], toUser: other, guild: record.channelID) }
        if record.daveVersion >= 1 { daveEvent(record.channelID) { $0.leave(record.userID) } }
    }

    func receiveBinary(_ frame: [UInt8], id: ObjectIdentifier) {
        let sender = state.withLock { state -> (user: String, guild: UInt64)? in
            guard let session = state.connections[id]?.sessionID, let record = state.sessions[session],
                record.daveVersion >= 1
            else { return nil }
            return (record.userID, record.channelID)
        }
        // DAVE binaries are only valid once DAVE was negotiated.
        guard let sender, let message = try? DAVEBinaryMessage.parseClientFrame(frame) else { return close(id: id, code: 4002) }
        switch message {
        case let .keyPackage(bytes): daveEvent(sender.guild) { $0.keyPackage(bytes, from: sender.user) }
        case let .commitWelcome(bytes): daveEvent(sender.guild) { $0.commitWelcome(bytes, from: sender.user) }
        default: close(id: id, code: 4002)  // server → client opcodes
        }
    }

    func daveTransitionReply(op: Int, fields: [String: Any], sessionID: String) {
        let sender = state.withLock { $0.sessions[sessionID].flatMap { $0.daveVersion >= 1 ? ($0.userID, $0.channelID) : nil } }
        guard let (user, guild) = sender, let id = (fields["transition_id"] as? NSNumber)?.intValue,
            let transition = UInt16(exactly: id)
        else { return }
        daveEvent(guild) { op == 23 ? $0.ready(transition, from: user) : $0.invalidCommitWelcome(transition, from: user) }
    }

    /// Runs one event through the call's channel under the lock, then delivers what it decided.
    /// Events arrive on the one event loop, so deliveries keep the order they were decided in.
    func daveEvent(_ guild: UInt64, _ body: (inout DAVEChannel) -> DAVEEffects) {
        let effects = state.withLock { state -> DAVEEffects in
            var call = state.call(guild)
            let effects = call.route(body(&call.dave))
            state.calls[guild] = call
            return effects
        }
        deliver(effects, guild: guild)
    }

    /// Writes what the channel decided to the members' sockets and arms transition deadlines.
    func deliver(_ effects: DAVEEffects, guild: UInt64) {
        for delivery in effects.deliveries {
            switch delivery.message {
            case let .json(op, data): send(op: op, data: data.foundation, toUser: delivery.userID, guild: guild)
            case let .binary(message): sendBinary(message, toUser: delivery.userID, guild: guild)
            }
        }
        for transition in effects.armTimeouts {
            let timeout = TimeAmount.nanoseconds(Int64(configuration.transitionTimeout * 1e9))
            group.next().scheduleTask(in: timeout) { [weak self] in
                guard let self, !self.state.withLock({ $0.shuttingDown }) else { return }
                self.daveEvent(guild) { $0.transitionTimedOut(transition) }
            }
        }
    }

    /// Sends `[seq u16][op][payload]`, numbered on the session's counter and kept for replay.
    func sendBinary(_ message: DAVEBinaryMessage, toUser userID: String, guild: UInt64) {
        guard let session = state.withLock({ $0.calls[guild]?.userSessions[userID] }) else { return }
        sendNumbered(to: session) { .binary(message.serverFrame(sequence: UInt16(truncatingIfNeeded: $0))) }
    }

    func send(op: Int, data: Any?, toUser userID: String, guild: UInt64) {
        guard let session = state.withLock({ $0.calls[guild]?.userSessions[userID] }) else { return }
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
}

extension VoiceServerSim.State {
    /// Runs `body` on channel `guild`'s call, creating it on first use.
    mutating func withCall<T>(_ guild: UInt64, _ body: (inout CallState) -> T) -> T {
        var call = call(guild)
        let result = body(&call)
        calls[guild] = call
        return result
    }

    /// Channel `guild`'s call as it stands, or a new one whose MLS group is that channel's (the
    /// caller stores it back).
    mutating func call(_ guild: UInt64) -> CallState {
        if firstCall == nil { firstCall = guild }
        return calls[guild] ?? CallState(dave: DAVEChannel(channelID: guild))
    }

    func connection(ofSession session: String) -> ObjectIdentifier? {
        connections.first { $0.value.sessionID == session }?.key
    }

    func isConnected(session: String) -> Bool { connection(ofSession: session) != nil }
}
