import CadenceTestSupport
import MLS
import Testing

@Suite("TreeMath vector tests")
struct TreeMathVectorTests {
    @Test("tree-math.json: root, left, right, parent and sibling of every node", SharedData.required)
    func treeMath() throws {
        let vectors = try Vectors.load("tree-math")
        for v in vectors {
            let n = try v.int("n_leaves")
            #expect(TreeMath.nodeWidth(leaves: n) == (try v.int("n_nodes")))
            #expect(TreeMath.root(leaves: n) == (try v.int("root")))
            let left = try v.optionalInts("left"), right = try v.optionalInts("right")
            let parent = try v.optionalInts("parent"), sibling = try v.optionalInts("sibling")
            for x in 0..<TreeMath.nodeWidth(leaves: n) {
                #expect(TreeMath.left(x) == left[x], "left(\(x)) n=\(n)")
                #expect(TreeMath.right(x) == right[x], "right(\(x)) n=\(n)")
                #expect(TreeMath.parent(x, leaves: n) == parent[x], "parent(\(x)) n=\(n)")
                #expect(TreeMath.sibling(x, leaves: n) == sibling[x], "sibling(\(x)) n=\(n)")
            }
        }
        print("tree-math: \(vectors.count) suite-independent cases passed, 0 skipped")
    }
}
