/// Array-tree arithmetic of RFC 9420 Appendix C for complete binary trees.
///
/// Node `x` at even index is a leaf (leaf index `x / 2`); odd indices are parent nodes.
/// All functions are pure; `nil` means "no such node" (e.g. the root has no parent).
package enum TreeMath {
    package static func nodeWidth(leaves n: Int) -> Int { n == 0 ? 0 : 2 * (n - 1) + 1 }

    package static func level(_ x: Int) -> Int {
        var k = 0
        while (x >> k) & 1 == 1 { k += 1 }
        return k
    }

    private static func log2(_ x: Int) -> Int {
        var k = 0
        while (x >> k) > 0 { k += 1 }
        return max(0, k - 1)
    }

    package static func root(leaves n: Int) -> Int {
        (1 << log2(nodeWidth(leaves: n))) - 1
    }

    package static func left(_ x: Int) -> Int? {
        let k = level(x)
        return k == 0 ? nil : x ^ (1 << (k - 1))
    }

    package static func right(_ x: Int) -> Int? {
        let k = level(x)
        return k == 0 ? nil : x ^ (3 << (k - 1))
    }

    package static func parent(_ x: Int, leaves n: Int) -> Int? {
        guard x != root(leaves: n), x < nodeWidth(leaves: n) else { return nil }
        let k = level(x)
        let b = (x >> (k + 1)) & 1
        return (x | (1 << k)) ^ (b << (k + 1))
    }

    package static func sibling(_ x: Int, leaves n: Int) -> Int? {
        guard let p = parent(x, leaves: n) else { return nil }
        return x < p ? right(p) : left(p)
    }

    /// Parents from `x` (exclusive) up to the root (inclusive).
    package static func directPath(_ x: Int, leaves n: Int) -> [Int] {
        var path: [Int] = []
        var node = x
        while let p = parent(node, leaves: n) {
            path.append(p)
            node = p
        }
        return path
    }

    /// The sibling of each node on the way from `x` to (but excluding) the root.
    package static func copath(_ x: Int, leaves n: Int) -> [Int] {
        var result: [Int] = []
        var node = x
        while let s = sibling(node, leaves: n), let p = parent(node, leaves: n) {
            result.append(s)
            node = p
        }
        return result
    }

    /// Whether `ancestor` is `node` or lies above it.
    package static func isInSubtree(_ node: Int, of ancestor: Int) -> Bool {
        let span = (1 << level(ancestor)) - 1
        return node >= ancestor - span && node <= ancestor + span
    }

    /// The lowest common ancestor of two leaf nodes (even indices).
    package static func commonAncestor(leaf a: Int, leaf b: Int) -> Int {
        if a == b { return a }
        var x = a, y = b, k = 0
        while x != y {
            x >>= 1
            y >>= 1
            k += 1
        }
        return (x << k) + (1 << (k - 1)) - 1
    }

    /// Leaf node indices covered by the subtree rooted at `x`.
    package static func leaves(under x: Int) -> ClosedRange<Int> {
        let k = level(x)
        let low = x - ((1 << k) - 1)
        let high = x + ((1 << k) - 1)
        return (low / 2)...(high / 2)
    }
}
