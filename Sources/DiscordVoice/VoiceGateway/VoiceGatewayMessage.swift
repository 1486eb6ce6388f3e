import DAVE
import Foundation

/// Voice gateway opcodes this client sends or acts on (doc §1.3). Every other op is ignored.
enum VoiceOp {
    static let identify = 0, selectProtocol = 1, ready = 2, heartbeat = 3, sessionDescription = 4
    static let speaking = 5, heartbeatAck = 6, resume = 7, hello = 8, resumed = 9
    static let clientsConnect = 11, clientDisconnect = 13
    static let davePrepareTransition = 21, daveExecuteTransition = 22, daveTransitionReady = 23
    static let davePrepareEpoch = 24, daveInvalidCommitWelcome = 31
}

/// A server message, reduced to what a sending client needs.
enum VoiceGatewayServerMessage: Equatable {
    case hello(intervalMs: Double)
    case ready(ssrc: UInt32, ip: String, port: Int, modes: [String])
    /// op 4; `daveVersion` is 0 when the server omits `dave_protocol_version`.
    case sessionDescription(mode: String, key: [UInt8], daveVersion: Int)
    case heartbeatAck(nonce: Int64?)
    case heartbeatRequest
    case resumed
    /// ops 11, 13, 21, 22, 24, for the DAVE session.
    case dave(DAVEInput)
    /// Flags (18), platform (20), speaking of others and any op this client does not know:
    /// ignored without error.
    case ignored(op: Int)

    /// Parses one text frame. Returns the message and the `seq` it carried, if any.
    static func parse(_ text: String) throws(VoiceError) -> (VoiceGatewayServerMessage, seq: Int?) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let op = (object["op"] as? NSNumber)?.intValue
        else { throw .badPayload(op: -1, field: "op") }
        let seq = (object["seq"] as? NSNumber)?.intValue
        let data = object["d"] as? [String: Any]
        func field<T>(_ name: String, _ convert: (Any) -> T?) throws(VoiceError) -> T {
            guard let raw = data?[name], let value = convert(raw) else { throw .badPayload(op: op, field: name) }
            return value
        }
        let number: (Any) -> NSNumber? = { $0 as? NSNumber }
        let transitionID: (Any) -> UInt16? = { ($0 as? NSNumber).flatMap { UInt16(exactly: $0.int64Value) } }
        switch op {
        case VoiceOp.hello:
            return (.hello(intervalMs: try field("heartbeat_interval", number).doubleValue), seq)
        case VoiceOp.ready:
            let ssrc = try field("ssrc", number)
            guard let value = UInt32(exactly: ssrc.int64Value) else { throw .badPayload(op: op, field: "ssrc") }
            return (
                .ready(
                    ssrc: value, ip: try field("ip") { $0 as? String }, port: try field("port", number).intValue,
                    modes: try field("modes") { $0 as? [String] }), seq
            )
        case VoiceOp.sessionDescription:
            let key = try field("secret_key") { raw -> [UInt8]? in
                guard let list = raw as? [NSNumber] else { return nil }
                let bytes = list.compactMap { UInt8(exactly: $0.intValue) }
                return bytes.count == list.count ? bytes : nil
            }
            let dave = (data?["dave_protocol_version"] as? NSNumber)?.intValue ?? 0
            return (.sessionDescription(mode: try field("mode") { $0 as? String }, key: key, daveVersion: dave), seq)
        case VoiceOp.clientsConnect:
            let ids = try field("user_ids") { raw -> [UInt64]? in
                guard let list = raw as? [String] else { return nil }
                let ids = list.compactMap { UInt64($0) }
                return ids.count == list.count ? ids : nil
            }
            return (.dave(.clientsConnected(ids)), seq)
        case VoiceOp.clientDisconnect:
            return (.dave(.clientDisconnected(try field("user_id") { ($0 as? String).flatMap { UInt64($0) } })), seq)
        case VoiceOp.davePrepareTransition:
            return (
                .dave(
                    .prepareTransition(
                        PrepareTransition(
                            transitionID: try field("transition_id", transitionID),
                            protocolVersion: try field("protocol_version", number).intValue))), seq
            )
        case VoiceOp.daveExecuteTransition:
            return (.dave(.executeTransition(TransitionID(try field("transition_id", transitionID)))), seq)
        case VoiceOp.davePrepareEpoch:
            let epoch = try field("epoch") { ($0 as? NSNumber).flatMap { UInt64(exactly: $0.int64Value) } }
            return (
                .dave(
                    .prepareEpoch(
                        PrepareEpoch(
                            protocolVersion: try field("protocol_version", number).intValue,
                            epoch: epoch))), seq
            )
        case VoiceOp.heartbeatAck:
            // v8 echoes {t}; older versions a bare number.
            let nonce = (data?["t"] as? NSNumber)?.int64Value ?? (object["d"] as? NSNumber)?.int64Value
            return (.heartbeatAck(nonce: nonce), seq)
        case VoiceOp.heartbeat: return (.heartbeatRequest, seq)
        case VoiceOp.resumed: return (.resumed, seq)
        default: return (.ignored(op: op), seq)
        }
    }
}

/// The client's messages, as JSON text frames.
enum VoiceGatewayClientMessage {
    case identify(serverID: String, userID: String, sessionID: String, token: String, maxDAVEVersion: Int)
    case resume(serverID: String, sessionID: String, token: String, seqAck: Int)
    case selectProtocol(address: String, port: Int, mode: String)
    case heartbeat(nonce: Int64, seqAck: Int)
    case speaking(flags: Int, ssrc: UInt32)
    case daveTransitionReady(UInt16)
    case daveInvalidCommitWelcome(UInt16)

    var json: String {
        let (op, data): (Int, [String: Any]) =
            switch self {
            case let .identify(server, user, session, token, dave):
                (
                    VoiceOp.identify,
                    [
                        "server_id": server, "user_id": user, "session_id": session, "token": token,
                        "max_dave_protocol_version": dave
                    ]
                )
            case let .resume(server, session, token, seqAck):
                (VoiceOp.resume, ["server_id": server, "session_id": session, "token": token, "seq_ack": seqAck])
            case let .selectProtocol(address, port, mode):
                (VoiceOp.selectProtocol, ["protocol": "udp", "data": ["address": address, "port": port, "mode": mode]])
            case let .heartbeat(nonce, seqAck):
                (VoiceOp.heartbeat, ["t": nonce, "seq_ack": seqAck])
            case let .speaking(flags, ssrc):
                (VoiceOp.speaking, ["speaking": flags, "delay": 0, "ssrc": ssrc])
            case let .daveTransitionReady(id):
                (VoiceOp.daveTransitionReady, ["transition_id": id])
            case let .daveInvalidCommitWelcome(id):
                (VoiceOp.daveInvalidCommitWelcome, ["transition_id": id])
            }
        let bytes = (try? JSONSerialization.data(withJSONObject: ["op": op, "d": data], options: [.sortedKeys])) ?? Data()
        return String(decoding: bytes, as: UTF8.self)
    }
}
