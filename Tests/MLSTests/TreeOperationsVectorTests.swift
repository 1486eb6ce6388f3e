import CadenceTestSupport
import MLS
import Testing

@Suite("TreeOperations vector tests")
struct TreeOperationsVectorTests {
    /// tree-operations.json only has suite-1 cases, but tree hashing is SHA-256 in suites 1 and 2
    /// and applying Add/Remove/Update involves no signatures, so every case exercises our tree code.
    @Test("tree-operations.json: Add, Remove and Update change the tree and its hash exactly", SharedData.required)
    func treeOperations() throws {
        let vectors = try Vectors.load("tree-operations")
        for (i, v) in vectors.enumerated() {
            var tree = try RatchetTree(decoding: try v.hex("tree_before"))
            #expect(tree.treeHash(suite: .p256) == (try v.hex("tree_hash_before")), "case \(i) hash before")
            switch try Proposal(decoding: try v.hex("proposal")) {
            case .add(let keyPackage): tree.add(keyPackage.leafNode)
            case .remove(let index): tree.remove(leaf: Int(index))
            case .update(let leaf): tree.update(leaf: try v.int("proposal_sender"), with: leaf)
            default: Issue.record("case \(i): unexpected proposal type")
            }
            #expect(tree.encoded == (try v.hex("tree_after")), "case \(i) tree after")
            #expect(tree.treeHash(suite: .p256) == (try v.hex("tree_hash_after")), "case \(i) hash after")
        }
        print("tree-operations: \(vectors.count) cases passed (suite 1 vectors, suite-independent operations)")
    }
}
