import Foundation
import MLS
import Testing

/// Prints the cost of the two hot operations for a 25-member group. Not a timed assertion:
/// enabled only with `MLS_MEASURE=1`, and meaningful only in a release build.
@Suite("MLSGroup cost measurement")
struct MLSGroupCostMeasurement {
    @Test("25 members: commit creation and Welcome processing",
          .enabled(if: ProcessInfo.processInfo.environment["MLS_MEASURE"] == "1", "set MLS_MEASURE=1 to measure"))
    func measure() throws {
        let (akp, asec) = try KeyPackage.create(suite: .p256, identity: [0], signatureKey: .generate())
        var alice = try MLSGroup.create(groupID: [7], keyPackage: akp, secrets: asec)
        let others = try (1..<24).map { try KeyPackage.create(suite: .p256, identity: [UInt8($0)], signatureKey: .generate()) }
        let add = try alice.commit(adding: others.map(\.0))
        _ = try alice.process(add.commit)
        #expect(alice.members.count == 24)
        let (last, lastSecrets) = try KeyPackage.create(suite: .p256, identity: [24], signatureKey: .generate())

        let rounds = 20
        var commitTime = 0.0, welcomeTime = 0.0
        for _ in 0..<rounds {
            var committer = alice
            let start = Date()
            let output = try committer.commit(adding: [last], removing: [5])
            commitTime += Date().timeIntervalSince(start)
            let welcome = try #require(output.welcome)
            let joinStart = Date()
            let joined = try MLSGroup.join(welcome: welcome, keyPackage: last, secrets: lastSecrets)
            welcomeTime += Date().timeIntervalSince(joinStart)
            _ = try committer.process(output.commit)
            #expect(joined.epochAuthenticator == committer.epochAuthenticator)
        }
        print(String(format: "MLS cost, 25 members: commit (add+remove, with path) %.2f ms, welcome processing %.2f ms",
                     commitTime / Double(rounds) * 1000, welcomeTime / Double(rounds) * 1000))
    }
}
