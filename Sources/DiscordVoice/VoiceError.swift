/// Why a voice connection failed or refused input. Each case names the check that failed.
package enum VoiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The endpoint is not a usable `ws://` or `wss://` URL (or bare host:port).
    case badEndpoint(String)
    /// A gateway message lacked a field or had the wrong type.
    case badPayload(op: Int, field: String)
    /// Session Description could not be used (key length, mode).
    case badSessionDescription(String)
    /// Ready offered no mode this client implements.
    case noSupportedMode(offered: [String])
    /// IP discovery got no answer in time: UDP is blocked or the address is wrong.
    case ipDiscoveryTimedOut(host: String, port: Int, seconds: Double)
    /// IP discovery got an answer that is not a 74-byte type-2 response for our SSRC.
    case ipDiscoveryBadResponse(String)
    /// A socket call failed.
    case socket(call: String, errno: Int32)
    /// The server closed with a code whose documented action is to stop.
    case closed(code: Int, action: String)
    /// The connection was stopped (by `disconnect`, or after retries ran out).
    case stopped(String)
    /// No step of the handshake completed in time.
    case handshakeTimedOut(step: String)
    /// DAVE can be negotiated but an id it needs is missing or not a snowflake: `field` is
    /// `channel_id` (the MLS group) or `user_id`, `value` what was given.
    case daveIdentity(field: String, value: String?)

    package var description: String {
        switch self {
        case let .badEndpoint(value): "bad voice endpoint '\(value)'"
        case let .badPayload(op, field): "voice gateway op \(op): missing or invalid '\(field)'"
        case let .badSessionDescription(why): "session description: \(why)"
        case let .noSupportedMode(offered): "no supported encryption mode in \(offered)"
        case let .ipDiscoveryTimedOut(host, port, seconds):
            "IP discovery to \(host):\(port) got no answer in \(seconds) s (UDP blocked?)"
        case let .ipDiscoveryBadResponse(why): "IP discovery: \(why)"
        case let .socket(call, errno): "\(call) failed (errno \(errno))"
        case let .closed(code, action): "voice gateway closed with \(code): \(action)"
        case let .stopped(why): "voice connection stopped: \(why)"
        case let .handshakeTimedOut(step): "voice handshake timed out waiting for \(step)"
        case let .daveIdentity(field, value?):
            "DAVE needs '\(field)' as a Discord snowflake, got '\(value)'"
        case let .daveIdentity(field, nil):
            "DAVE needs '\(field)' (the voice channel is the MLS group) and none was given"
        }
    }
}
