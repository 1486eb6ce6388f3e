/// op 21 (server → client): a transition to `protocol_version` is coming; id 0 executes at once.
public struct PrepareTransition: Codable, Equatable, Sendable {
    public var transitionID: UInt16
    public var protocolVersion: Int
    enum CodingKeys: String, CodingKey { case transitionID = "transition_id", protocolVersion = "protocol_version" }
    public init(transitionID: UInt16, protocolVersion: Int) {
        self.transitionID = transitionID
        self.protocolVersion = protocolVersion
    }
}

/// op 22 (server → client) execute, op 23 (client → server) ready, op 31 (client → server)
/// invalid commit/welcome: each carries only the transition id.
public struct TransitionID: Codable, Equatable, Sendable {
    public var transitionID: UInt16
    enum CodingKeys: String, CodingKey { case transitionID = "transition_id" }
    public init(_ transitionID: UInt16) { self.transitionID = transitionID }
}

/// op 24 (server → client): epoch 1 means the group is (re)created. Real traffic has no
/// transition id here, whatever older docs say.
public struct PrepareEpoch: Codable, Equatable, Sendable {
    public var protocolVersion: Int
    public var epoch: UInt64
    enum CodingKeys: String, CodingKey { case protocolVersion = "protocol_version", epoch }
    public init(protocolVersion: Int, epoch: UInt64) {
        self.protocolVersion = protocolVersion
        self.epoch = epoch
    }
}
