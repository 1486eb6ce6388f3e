/// op 21 (server → client): a transition to `protocol_version` is coming; id 0 executes at once.
package struct PrepareTransition: Codable, Equatable, Sendable {
    package var transitionID: UInt16
    package var protocolVersion: Int
    enum CodingKeys: String, CodingKey { case transitionID = "transition_id", protocolVersion = "protocol_version" }
    package init(transitionID: UInt16, protocolVersion: Int) {
        self.transitionID = transitionID
        self.protocolVersion = protocolVersion
    }
}

/// op 22 (server → client) execute, op 23 (client → server) ready, op 31 (client → server)
/// invalid commit/welcome: each carries only the transition id.
package struct TransitionID: Codable, Equatable, Sendable {
    package var transitionID: UInt16
    enum CodingKeys: String, CodingKey { case transitionID = "transition_id" }
    package init(_ transitionID: UInt16) { self.transitionID = transitionID }
}

/// op 24 (server → client): epoch 1 means the group is (re)created. Real traffic has no
/// transition id here, whatever older docs say.
package struct PrepareEpoch: Codable, Equatable, Sendable {
    package var protocolVersion: Int
    package var epoch: UInt64
    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol_version", epoch }
    package init(protocolVersion: Int, epoch: UInt64) {
        self.protocolVersion = protocolVersion
        self.epoch = epoch
    }
}
