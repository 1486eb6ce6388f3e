import CadenceTestSupport
import MLS
import Testing

@Suite("TreeValidation vector tests")
struct TreeValidationVectorTests {
    @Test("tree-validation.json: resolutions, tree hashes, parent hashes, leaf signatures", SharedData.required)
    func treeValidation() throws {
        let suite = CipherSuite.p256
        try Vectors.forSuite2("tree-validation") { v, index in
            let tree = try RatchetTree(decoding: try v.hex("tree"))
            let hashes = v.object["tree_hashes"] as? [String] ?? []
            let resolutions = v.object["resolutions"] as? [[Int]] ?? []
            #expect(hashes.count == tree.nodes.count && resolutions.count == tree.nodes.count, "case \(index) node count")
            let computed = tree.allTreeHashes(suite: suite)
            for x in 0..<min(hashes.count, tree.nodes.count) {
                #expect(computed[x].hex == hashes[x], "case \(index) tree hash of node \(x)")
                #expect(tree.resolution(x) == resolutions[x], "case \(index) resolution of node \(x)")
            }
            #expect(tree.treeHash(suite: suite).hex == hashes[tree.root])
            try tree.verifyParentHashes(suite: suite)
            try tree.verifyLeafSignatures(suite: suite, groupID: try v.hex("group_id"))
            try tree.verifyStructure()
        }
    }
}
