/// What the connection does after the voice WebSocket closed, by the close-code table in
/// the voice doc §1.5.
package enum RecoveryAction: String, Sendable, Equatable {
    /// Open a new socket to the same endpoint and send op 7 with `seq_ack`; UDP, SSRC and key survive.
    case resume
    /// Open a new socket and identify again: a new session, SSRC and key.
    case reidentify
    /// The session cannot be recovered by this client alone (bad token, server not found):
    /// ask for a fresh join and wait for the resulting server update.
    case rejoin
    /// Kicked, moved or call ended (4014, 4022): reconnect only if a new server update arrives.
    case waitForServerUpdate
    /// Do not reconnect.
    case stop

    /// The documented action for a close `code` that this client did not initiate.
    /// `bugRetryUsed` says whether the one fresh reconnect allowed for client-bug codes was spent.
    package static func forCloseCode(_ code: Int, bugRetryUsed: Bool = false) -> RecoveryAction {
        switch code {
        case 4014, 4022: .waitForServerUpdate
        case 4021, 4017: .stop
        case 4006, 4009: .reidentify
        case 4004, 4011: .rejoin
        case 4015, 4013: .resume
        case 4001, 4002, 4003, 4005, 4012, 4016, 4020: bugRetryUsed ? .stop : .reidentify
        case 4000..<5000: bugRetryUsed ? .stop : .reidentify
        // 1000/1001 the client did not ask for, 1006 and every other network-level code.
        default: .resume
        }
    }

    /// Close codes after which the fresh reconnect is allowed only once (client bugs).
    static func isBugCode(_ code: Int) -> Bool {
        switch code {
        case 4001, 4002, 4003, 4005, 4012, 4016, 4020: true
        case 4000..<5000: ![4004, 4006, 4009, 4011, 4013, 4014, 4015, 4017, 4021, 4022].contains(code)
        default: false
        }
    }
}

/// Exponential backoff with jitter, capped: the first retry comes almost at once (so a resume
/// after a dropped socket completes well inside a second), later ones spread out.
package struct Backoff: Sendable {
    package var first: Double = 0.05
    package var base: Double = 0.25
    package var cap: Double = 10
    package var maxAttempts = 8

    package init(first: Double = 0.05, base: Double = 0.25, cap: Double = 10, maxAttempts: Int = 8) {
        self.first = first
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
    }

    /// Seconds to wait before retry number `attempt` (0-based): up to `first` for the first,
    /// then half fixed, half random of `min(cap, base·2^(attempt-1))`.
    package func delay(attempt: Int, random: Double = .random(in: 0...1)) -> Double {
        guard attempt > 0 else { return first * random }
        let ceiling = min(cap, base * Double(1 << min(attempt - 1, 20)))
        return ceiling / 2 + ceiling / 2 * random
    }
}
