import Foundation
import MLS

/// The cost of the two MLS operations a DAVE voice connection does under time pressure, for a
/// 25-member group: creating a commit (one add, one remove, with an UpdatePath) and joining
/// from a Welcome. Target: each under 20 ms in release.
enum MLSBench {
    struct Result {
        var commitMs: [Double] = []
        var welcomeMs: [Double] = []
    }

    static func run(rounds: Int = 20) throws -> Result {
        let (firstPackage, firstSecrets) = try KeyPackage.create(suite: .p256, identity: [0], signatureKey: .generate())
        var group = try MLSGroup.create(groupID: [7], keyPackage: firstPackage, secrets: firstSecrets)
        let others = try (1..<24).map { try KeyPackage.create(suite: .p256, identity: [UInt8($0)], signatureKey: .generate()) }
        let add = try group.commit(adding: others.map(\.0))
        try group.merge(add)
        let (last, lastSecrets) = try KeyPackage.create(suite: .p256, identity: [24], signatureKey: .generate())

        var result = Result()
        let clock = ContinuousClock()
        for _ in 0..<rounds {
            var committer = group
            var output: CommitOutput?
            result.commitMs.append(clock.measure { output = try? committer.commit(adding: [last], removing: [5]) }.milliseconds)
            guard let output, let welcome = output.welcome else { throw BenchFailure("commit produced no welcome") }
            var joined: MLSGroup?
            result.welcomeMs.append(
                clock.measure {
                    joined = try? MLSGroup.join(welcome: welcome, keyPackage: last, secrets: lastSecrets)
                }.milliseconds)
            try committer.merge(output)
            guard joined?.epochAuthenticator == committer.epochAuthenticator else {
                throw BenchFailure("joiner and committer disagree")
            }
        }
        return result
    }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
